"""How each provider carries a quick toggle: an overlay the bot owns and removes exactly.

rc-legacy   a Switchboard custom answering rule with a date range (deleted on revert); a
            rotation's escalation is the same rule ringing numbers in order
rc-new      the forward-all-calls state with a range, from a verbatim snapshot
rc-new-ladder  a rotation's escalation on an upgraded account: a Switchboard custom
            (interaction) rule ringing in order (forward-all-calls can only terminate)
smspartner  callforward type 1/2, restored to the last state Switchboard knew
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

Kind = Literal["forward", "voicemail", "escalate"]
Reverted = Literal["restored", "gone", "changed"]  # changed: someone else's newer choice, left alone


@dataclass(frozen=True)
class Status:
    """What happens to calls now, as the provider shows it (or as last set, for SMSPartner)."""

    mode: Literal["normal", "forward", "voicemail", "escalate"]
    target: str | None = None  # escalate: the number rung first
    until: datetime | None = None
    ours: bool = True  # False: set in the provider's own app
    as_last_set_at: datetime | None = None  # no read-back: the state Switchboard last set
    backup: str | None = None  # escalate: the number rung when the first did not answer
    ring_seconds: int | None = None  # escalate: how long each number rings


@dataclass(frozen=True)
class Ladder:
    """Ring `first` for `ring_seconds`, then `backup` as long, then where calls went before."""

    first: str
    backup: str
    ring_seconds: int


@dataclass(frozen=True)
class Applied:
    provider_object: str = ""
    snapshot: Any = None
    written: Any = None


class Overlay(Protocol):
    model: str

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied: ...

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted: ...

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status: ...


class LadderOverlay(Overlay, Protocol):
    async def apply_ladder(
        self, line: LinkRecord, ladder: Ladder, ends_at: datetime | None, *, by: str
    ) -> Applied: ...
