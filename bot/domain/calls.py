"""A live call as a card shows it: who calls, whose phone or hotline rings, what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CardState = Literal["ringing", "answered", "voicemail", "forwarded", "missed", "ended"]
RINGING_CODES = ("Setup", "Proceeding")
# ⚠ The spec's reason enum has no "CallForwarded"; a pre-call forward is assumed to end the
# party with CallRedirected (README "Provider assumptions").
FORWARDED_REASONS = ("CallRedirected",)


def state_of(code: str, reason: str | None, missed: bool) -> CardState:
    """RingCentral's party status as the card's state."""
    if code in RINGING_CODES:
        return "ringing"
    if code in ("Answered", "Hold", "Parked"):
        return "answered"
    if code in ("VoiceMail", "VoiceMailScreening"):  # the spec's CallStatusInfo spelling
        return "voicemail"
    if reason in FORWARDED_REASONS:
        return "forwarded"
    return "missed" if missed else "ended"


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
