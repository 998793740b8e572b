"""How each provider carries a quick toggle: an overlay the bot owns and removes exactly.

rc-legacy   a Switchboard custom answering rule with a date range (deleted on revert)
rc-new      the forward-all-calls state with a range, from a verbatim snapshot
smspartner  callforward type 1/2, restored to the last state Switchboard knew
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

Kind = Literal["forward", "voicemail"]
Reverted = Literal["restored", "gone", "changed"]  # changed: someone else's newer choice, left alone


@dataclass(frozen=True)
class Status:
    """What happens to calls now, as the provider shows it (or as last set, for SMSPartner)."""

    mode: Literal["normal", "forward", "voicemail"]
    target: str | None = None
    until: datetime | None = None
    ours: bool = True  # False: set in the provider's own app
    as_last_set_at: datetime | None = None  # no read-back: the state Switchboard last set


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
