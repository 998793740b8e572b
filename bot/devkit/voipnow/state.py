"""VoipNow emulator state: users and extensions (no email directory), live phone calls."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TOKEN_TTL = 3600


@dataclass
class VnExtension:
    number: str  # extended form, e.g. 0003*210
    user_id: int
    name: str
    email: str  # known to the emulator only: UnifiedAPI exposes no email lookup
    voicemail: bool = True


@dataclass
class PhoneCall:
    id: str
    extension: str  # the user's side
    other: str  # the other party's number (extension or public)
    other_name: str
    flow: int  # 2 local, 4 outgoing public, 8 incoming public
    status: int = 5  # 5 on call; 3 ringing
    started: float = field(default_factory=time.time)

    def as_api(self, owner: VnExtension) -> dict[str, Any]:
        incoming = self.flow == 8
        source, destination = (
            ([self.other], [self.extension]) if incoming else ([self.extension], [self.other])
        )
        view: dict[str, Any] = {
            "id": f"{self.id}-v1",
            "extension": self.extension,
            "source": source,
            "destination": destination,
            "flow": self.flow,
            "status": self.status,
            "callerId": f"{self.other_name} <{self.other}>",
            "answered": self.status == 5,
            "onHold": False,
        }
        return {
            "id": self.id,
            "extension": self.extension,
            "ownerId": owner.user_id,
            "ownerName": owner.name,
            "published": datetime.fromtimestamp(self.started, UTC).isoformat(),
            "answered": self.status == 5,
            "phoneCallView": [view],
        }


@dataclass
class VoipNowState:
    extensions: dict[str, VnExtension]
    calls: dict[str, PhoneCall] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)
    token_grants: int = 0
    moves: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def seeded(cls) -> VoipNowState:
        people = [
            VnExtension("0003*210", 12, "Dave Rossi", "dave@example.com"),
            VnExtension("0003*024", 14, "Eve Laurent", "eve@example.com"),
            VnExtension("0003*100", 10, "Front Desk", "frontdesk@example.com", voicemail=False),
        ]
        state = cls(extensions={p.number: p for p in people})
        call = PhoneCall("b817d2618fe6f1804333", "0003*210", "+13235550142", "Sam Carter", flow=8)
        state.calls[call.id] = call
        return state

    def issue_token(self) -> dict[str, Any]:
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.time() + TOKEN_TTL
        self.token_grants += 1
        return {"access_token": token, "token_type": "Bearer", "expires_in": TOKEN_TTL}

    def token_ok(self, token: str) -> bool:
        return self.tokens.get(token, 0) > time.time()

    def calls_of(self, extension: str) -> list[PhoneCall]:
        return [c for c in self.calls.values() if c.extension == extension]
