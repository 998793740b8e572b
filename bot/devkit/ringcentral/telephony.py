"""Live calls in the emulator: sessions and their parties (call control's view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MOVABLE = {"Answered", "Hold"}  # only these parties can be transferred or flipped
RINGING = {"Setup", "Proceeding"}  # only these can be forwarded or rejected (pre-call control)


@dataclass
class Party:
    id: str
    extension_id: int | None  # None: a party outside the account
    direction: str
    from_number: str
    from_name: str
    to_number: str
    to_name: str
    status: str = "Answered"
    reason: str | None = None
    answered: bool = True  # was it ever answered (a ringing call starts False)

    @property
    def missed(self) -> bool:
        return not self.answered and self.status in ("Disconnected", "VoiceMail")

    def as_event(self, account_id: int) -> dict[str, Any]:
        """The party in a telephony-session notification."""
        body = self.as_api(account_id)
        body.pop("owner", None)
        body["missedCall"] = self.missed
        return body

    def as_api(self, account_id: int) -> dict[str, Any]:
        status: dict[str, Any] = {"code": self.status}
        if self.reason:
            status["reason"] = self.reason
        body: dict[str, Any] = {
            "id": self.id,
            "accountId": str(account_id),
            "status": status,
            "muted": False,
            "standAlone": False,
            "direction": self.direction,
            "from": {"phoneNumber": self.from_number, "name": self.from_name},
            "to": {"phoneNumber": self.to_number, "name": self.to_name},
        }
        if self.extension_id is not None:
            body["extensionId"] = str(self.extension_id)
            body["owner"] = {"accountId": str(account_id), "extensionId": str(self.extension_id)}
        return body


@dataclass
class CallSession:
    id: str
    started: datetime
    parties: list[Party] = field(default_factory=list)
    moves: list[dict[str, Any]] = field(default_factory=list)  # transfers and flips, for tests
    sequence: int = 0  # of its notifications

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def party_of(self, extension_id: int) -> Party | None:
        return next((p for p in self.parties if p.extension_id == extension_id), None)

    def as_api(self, account_id: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": {"type": "Call"},
            "creationTime": self.started.isoformat().replace("+00:00", "Z"),
            "parties": [p.as_api(account_id) for p in self.parties],
        }


def presence_status(party: Party) -> str:
    return {
        "Answered": "CallConnected",
        "Hold": "OnHold",
        "Setup": "Ringing",
        "Proceeding": "Ringing",
    }.get(party.status, "NoCall")


def seeded_call(alice_id: int, alice_number: str) -> CallSession:
    """Alice is on a call with a customer, as the seed company promises."""
    return CallSession(
        id="s-a7f3c1e2d4b5",
        started=datetime.now(UTC),
        parties=[
            Party(
                "p-a7f3c1e2d4b5-1",
                None,
                "Outbound",
                "+14085550111",
                "Jordan Lee",
                alice_number,
                "Alice Martin",
            ),
            Party(
                "p-a7f3c1e2d4b5-2",
                alice_id,
                "Inbound",
                "+14085550111",
                "Jordan Lee",
                alice_number,
                "Alice Martin",
            ),
        ],
    )
