"""How a line is typed: what an admin links (`103`, `voipnow:12/0003*210`, `smspartner:+33…`),
what may be a rotation's hotline, and which `/transfer` destinations are its extensions. Each
provider's package implements `LineSpec` (`bot/providers/<name>/specs.py`), with the words its
help uses (`Usage`: typed messages, what is typed a `Verbatim`); the registry gathers them
(`KnownSpecs`, handed to whoever reads a typed line), and the help is built from the providers
in use (`LineTyping`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.lines import ProviderName
from bot.domain.notices import Message, join, message
from bot.errors import UserError
from bot.providers.base import Directory
from bot.store.links import LinkRecord


@dataclass(frozen=True, slots=True)
class Usage:
    """How the help words typing one provider's lines."""

    link: Message  # in "Link to …": "an extension (" Verbatim("102") ")"
    prefixed: Message | None  # in the link usage's "(or …)"; None: typed bare (the directory's)
    hotline: Message | None = None  # in "A hotline is a line no person is linked to: …"; None: never
    hotline_label: str | None = None  # the rotation form's field label (plain text)


class NotAHotline(UserError):
    """The typed value names no line that may be a hotline; `why` (may be empty) goes before
    the sentence saying what a hotline is, built from the providers in use."""

    def __init__(self, why: str | Message = "") -> None:
        super().__init__(message(why, "That line can't be a hotline."))
        self.why = why


def _or(parts: Sequence[str]) -> str:
    return "".join(parts) if len(parts) < 2 else f"{', '.join(parts[:-1])} or {parts[-1]}"


def _any_of(parts: Sequence[Message]) -> Message:
    """`a`, `a or b`, `a, b or c`."""
    return message(*parts) if len(parts) < 2 else message(join(", ", parts[:-1]), " or ", parts[-1])


@dataclass(frozen=True, slots=True)
class LineTyping:
    """The help for typing a line, from the usages of the providers in use (in the registry's
    order)."""

    usages: tuple[Usage, ...]

    @property
    def link_usage(self) -> Message:
        """ "Link to an extension (`102`), … or …"."""
        return message("Link to ", _any_of([u.link for u in self.usages]), ".")

    @property
    def link_alternatives(self) -> Message:
        """ " (or `voipnow:<userId>/<ext>`, …)" after the link command's `<extension>`."""
        prefixed = [u.prefixed for u in self.usages if u.prefixed]
        return message(" (or ", join(", ", prefixed), ")") if prefixed else message()

    @property
    def not_a_hotline(self) -> Message:
        hotlines = [u.hotline for u in self.usages if u.hotline]
        if not hotlines:
            return message("A hotline is a line no person is linked to; no provider in use has one.")
        return message("A hotline is a line no person is linked to: ", _any_of(hotlines), ".")

    @property
    def hotline_label(self) -> str:
        labels = [u.hotline_label for u in self.usages if u.hotline_label]
        return f"Hotline: {_or(labels)}" if labels else "Hotline"


@dataclass(frozen=True, slots=True)
class SpecContext:
    """What reading a typed line may need: the directory, the numbers this deployment manages."""

    directory: Directory | None
    virtual_numbers: frozenset[str]
    region: str


class LineSpec(Protocol):
    @property
    def usage(self) -> Usage:
        """How the help words typing this provider's lines."""
        ...

    async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
        """The line an admin links for that person; a UserError says what is wrong."""
        ...

    async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
        """(line ref, label) when `value` names a line no person holds (a UserError says why
        not), None when this provider's lines are never hotlines."""
        ...

    def extension_digits(self, typed: str) -> str | None:
        """When `typed` has the shape of one of this provider's extensions (a `/transfer`
        destination): the digits dialled within the organization, which the destination
        policy checks against emergency and short numbers (VoipNow's `0003*210`: `210`).
        None when it hasn't that shape (or the provider's lines have no extensions)."""
        ...


@dataclass(frozen=True, slots=True)
class KnownSpecs:
    """How every known provider's lines are typed, in the registry's order (built once by the
    registry, handed to the services that read a typed line, which never import it)."""

    specs: Mapping[ProviderName, LineSpec]
    bare: ProviderName  # whose extensions are typed without `provider:` (the directory's)

    def typing(self, in_use: Iterable[ProviderName]) -> LineTyping:
        """The help for typing a line, in the words of the providers in use."""
        used = set(in_use)
        return LineTyping(tuple(spec.usage for name, spec in self.specs.items() if name in used))


def admin_link(
    slack_user_id: str, provider: ProviderName, line_id: str, ext: str, name: str
) -> LinkRecord:
    return LinkRecord(
        slack_user_id=slack_user_id,
        provider=provider,
        line_id=line_id,
        extension_number=ext,
        display_name=name,
        source="admin",
    )
