"""A live call as a card shows it: who calls, whose phone or hotline rings, what happened.

A provider with push turns its own notifications into `CallEvent`s (its package knows their
format); the call cards are made from those alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.domain.lines import LineRef

CardState = Literal["ringing", "answered", "voicemail", "forwarded", "missed", "ended"]


@dataclass(frozen=True)
class CallEvent:
    """One inbound leg of a call at a line, as one push notification shows it."""

    session_id: str  # the call
    sequence: int  # the notification's place in the call's order: a lower one is older
    party_id: str  # the leg, as pre-call control names it
    line: LineRef  # whose line rings
    caller_name: str
    caller_number: str
    state: CardState
    answered_at: str = ""  # the number a forwarded leg of the line was answered at ("" if none)


@dataclass(frozen=True)
class CallCard:
    session_id: str
    party_id: str
    caller_name: str
    caller_number: str
    state: CardState
    owner: str = ""  # the person whose phone rings (a person's card)
    rotation: str = ""  # the rotation whose hotline rings (a channel card)
    on_call: str = ""  # who is on call for that rotation
    numbers: tuple[tuple[str, str], ...] = field(default=())  # (label, E.164) to forward to
    answered_by: str = ""  # a hotline call the rotation's backup answered: who

    @property
    def unanswered(self) -> bool:
        return self.state in ("missed", "voicemail")
