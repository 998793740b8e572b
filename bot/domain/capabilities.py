"""What each provider's lines can do, as each provider package declares it.

Services, the on-call engine and the features ask these declarations ("can this line transfer
a call?", "how is this line named?"); none of them names a provider. A provider declares its
capabilities once, in its own package (`bot/providers/<name>/declaration.py`), and the
registry (`bot/providers/registry.py`) gathers the declarations of the providers in use.
The sentence for what a line can't do comes from the same declarations (`Capabilities.cannot`).
docs/adding-a-provider.md walks through adding one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.domain.lines import ProviderName


class Capability(enum.Enum):
    """One thing a provider's lines can do through Switchboard; the value is how a "can't"
    sentence says it ("VoipNow can't forward all calls through Switchboard")."""

    DIRECTORY = "link people by their email"
    FORWARDING_NUMBERS = "keep forwarding numbers"
    QUICK_FORWARD = "forward all calls"
    CALL_CONTROL = "transfer calls"
    CALL_FLIP = "flip calls"
    PRE_CALL_CONTROL = "act on a call before it is answered"
    PUSH = "post incoming-call cards"
    PERSONAL_SIGN_IN = "use your own sign-in"
    RING_IN_ORDER = "ring a backup after the on-call person"


class LineKind(enum.Enum):
    """How people call a provider's line: an extension (with a person's name) or a number."""

    EXTENSION = "extension"
    VIRTUAL_NUMBER = "virtual number"


@dataclass(frozen=True, slots=True)
class Declaration:
    """A provider's declared capabilities and the few facts the features word differently."""

    name: ProviderName
    capabilities: frozenset[Capability]
    line_kind: LineKind = LineKind.EXTENSION
    # The quick toggle's voicemail notifies an e-mail address (the person's, by default).
    voicemail_notifies_email: bool = False
    # A colleague's line is named to the provider by its id (else by its extension number).
    colleague_by_line_id: bool = False
    # The quick toggle's state can be read back (else only what Switchboard last set is known:
    # a change made in the provider's own app or dashboard can't be seen).
    state_readable: bool = True


class OnProvider(Protocol):
    @property
    def provider(self) -> ProviderName: ...


Line = TypeVar("Line", bound=OnProvider)

NO_LINE = "None of your lines can do that; ask a Switchboard admin to link one."


class Capabilities:
    """What lines can do: the declarations of the providers in use (`in_use`, all by default)."""

    def __init__(
        self, declarations: Iterable[Declaration], in_use: Iterable[ProviderName] | None = None
    ) -> None:
        self._known = {d.name: d for d in declarations}
        used = set(self._known) if in_use is None else set(in_use)
        self._declared = {name: d for name, d in self._known.items() if name in used}

    @property
    def providers(self) -> frozenset[ProviderName]:
        return frozenset(self._declared)

    def of(self, provider: ProviderName) -> Declaration | None:
        """The provider's declaration, in use or not (how its lines are named stays known)."""
        return self._known.get(provider)

    def can(self, line: OnProvider, capability: Capability) -> bool:
        """Whether the line's provider is in use and declares `capability`."""
        declared = self._declared.get(line.provider)
        return declared is not None and capability in declared.capabilities

    def able(self, lines: Sequence[Line], capability: Capability) -> list[Line]:
        """The lines that can, in their order (admin-linked lines come first)."""
        return [line for line in lines if self.can(line, capability)]

    def first(self, lines: Sequence[Line], capability: Capability) -> Line | None:
        return next(iter(self.able(lines, capability)), None)

    def with_capability(self, capability: Capability) -> list[ProviderName]:
        return [name for name, d in self._declared.items() if capability in d.capabilities]

    def named(self, capability: Capability) -> str:
        """Who brings `capability`, for a sentence ("only RingCentral hotlines can…"): the
        providers in use that declare it, else every known one that does."""
        known = [n for n, d in self._known.items() if capability in d.capabilities]
        return " or ".join(n.display for n in self.with_capability(capability) or known)

    def line_kind(self, line: OnProvider) -> LineKind:
        declared = self._known.get(line.provider)
        return declared.line_kind if declared is not None else LineKind.EXTENSION

    def cannot(self, capability: Capability, lines: Sequence[OnProvider]) -> str:
        return cannot(capability, lines)


def cannot(capability: Capability, lines: Sequence[OnProvider]) -> str:
    """One sentence naming the providers of `lines` that can't (`NO_LINE` without lines)."""
    names = sorted({line.provider.display for line in lines})
    if not names:
        return NO_LINE
    return (
        f"{' and '.join(names)} can't {capability.value} through Switchboard; "
        "ask a Switchboard admin to link a line that can."
    )
