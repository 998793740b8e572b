"""Domain models and capabilities shared by every provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.capabilities import Capability, Declaration
from bot.domain.lines import ProviderName
from bot.providers.calls import LiveCalls
from bot.providers.forwarding import ForwardingNumbers
from bot.providers.push import PushSubscriptions
from bot.providers.quick_forward import QuickForward
from bot.providers.ringing import RingingCalls
from bot.providers.sign_in import PersonalSignIn, SignInPages

__all__ = ["Adapter", "Directory", "DirectoryEntry", "Probe", "ProviderName"]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A person in a provider's directory, as much as linking needs."""

    provider: ProviderName
    line_id: str
    extension_number: str
    name: str
    email: str
    # a person's own line (the provider says which of its kinds that is): a hotline is never one
    is_person: bool
    is_admin: bool = False
    timezone: str | None = None
    enabled: bool = True


class Directory(Protocol):
    """Look people up by email or extension number (RingCentral has one; others don't)."""

    provider: ProviderName

    async def find_by_email(self, email: str) -> list[DirectoryEntry]: ...

    async def find_by_extension_number(self, number: str) -> DirectoryEntry | None: ...

    async def entry(self, line_id: str) -> DirectoryEntry | None:
        """The line as the directory has it now (never cached); None when it is gone."""
        ...

    async def list_people(self) -> list[DirectoryEntry]: ...


class Probe(Protocol):
    """What /readyz and `switchboard check` ask of each configured provider."""

    provider: ProviderName

    async def probe(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Adapter:
    """A provider in use: what its package declares its lines can do, its client, and the
    capability objects it brings (None where it brings no such capability). Each provider's
    package builds its own (`bot/providers/<name>/adapter.py`)."""

    declaration: Declaration
    client: Probe
    directory: Directory | None = None  # Capability.DIRECTORY
    live_calls: LiveCalls | None = None  # Capability.CALL_CONTROL
    forwarding: ForwardingNumbers | None = None  # Capability.FORWARDING_NUMBERS
    quick_forward: QuickForward | None = None  # Capability.QUICK_FORWARD (and RING_IN_ORDER)
    push: PushSubscriptions | None = None  # Capability.PUSH
    ringing: RingingCalls | None = None  # Capability.PRE_CALL_CONTROL
    sign_in: PersonalSignIn | None = None  # Capability.PERSONAL_SIGN_IN (when its app is set)
    sign_in_pages: SignInPages | None = None  # its pages (whenever it declares the capability)
    # Virtual numbers it manages for this deployment (lines typed by number, no directory).
    virtual_numbers: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """A capability declared is a capability brought, and none is brought undeclared."""
        for capability, attribute in BROUGHT_BY.items():
            declared = capability in self.declaration.capabilities
            brought = getattr(self, attribute) is not None
            if declared and not brought:
                raise TypeError(
                    f"{self.name.value} declares {capability.name} but brings no {attribute}"
                )
            if brought and not declared and capability not in RIDERS:
                raise TypeError(
                    f"{self.name.value} does not declare {capability.name} but brings a {attribute}"
                )

    @property
    def name(self) -> ProviderName:
        return self.declaration.name


# The Adapter attribute that brings each capability's object. Call flip rides on call control
# and ringing in order on the quick toggle (a provider may bring those without them); a
# sign-in's pages are there whenever it is declared, its app only when set.
BROUGHT_BY: dict[Capability, str] = {
    Capability.DIRECTORY: "directory",
    Capability.FORWARDING_NUMBERS: "forwarding",
    Capability.QUICK_FORWARD: "quick_forward",
    Capability.CALL_CONTROL: "live_calls",
    Capability.CALL_FLIP: "live_calls",
    Capability.PRE_CALL_CONTROL: "ringing",
    Capability.PUSH: "push",
    Capability.PERSONAL_SIGN_IN: "sign_in_pages",
    Capability.RING_IN_ORDER: "quick_forward",
}
RIDERS = frozenset({Capability.CALL_FLIP, Capability.RING_IN_ORDER})
