"""Live calls, one shape across providers, and the call-control capability each provider's
package implements (`bot/providers/<name>/live_calls.py`, gathered by the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.domain.lines import ProviderName
from bot.phone import shown
from bot.store.links import LinkRecord

DestinationKind = Literal["number", "extension", "user", "voicemail", "flip"]


@dataclass(frozen=True)
class Destination:
    kind: DestinationKind
    value: str  # E.164 number, extension number, Slack user id, flip label, or "" (voicemail)
    label: str  # how the person reads it


@dataclass(frozen=True)
class LiveCall:
    line: LinkRecord
    call_id: str  # RingCentral telephonySessionId / VoipNow phoneCallId
    party_id: str  # RingCentral partyId; VoipNow: the user's own number on the call
    other_number: str
    other_name: str
    direction: str
    started: str
    movable: bool
    region: str = "US"  # SWITCHBOARD_DEFAULT_REGION: how the other party's number is written

    @property
    def provider(self) -> ProviderName:
        return self.line.provider

    @property
    def provider_name(self) -> str:
        return self.line.provider.display

    @property
    def ref(self) -> str:
        return f"{self.line.provider}|{self.call_id}|{self.party_id}"

    @property
    def other(self) -> str:
        number = shown(self.other_number, self.region)
        return (
            f"{self.other_name} at {number}" if self.other_name else number
        )  # one pair of parentheses at most


class LiveCalls(Protocol):
    """Capability.CALL_CONTROL: read a line's calls and move one (bot/domain/capabilities.py)."""

    async def calls(self, line: LinkRecord, region: str) -> list[LiveCall]: ...

    async def extension(self, line: LinkRecord, typed: str) -> str | None:
        """The extension `typed` names in the line's directory, as the provider wants it sent."""
        ...

    async def own_numbers(self, line: LinkRecord) -> frozenset[str]:
        """The line's own phone numbers, E.164 (none when the provider doesn't tell)."""
        ...

    async def move(self, call: LiveCall, destination: Destination, target: str) -> bool:
        """One request, never repeated; True when the answer settles it (else look again)."""
        ...
