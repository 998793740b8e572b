"""In-memory state of the RingCentral emulator, seeded from `company.json`."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.devkit.ringcentral.handling_seed import comm_state_rules, comm_states, legacy_rules
from bot.devkit.ringcentral.telephony import CallSession, seeded_call

SEED = Path(__file__).with_name("company.json")
ACCESS_TTL = 3600
REFRESH_TTL = 604800


@dataclass
class ForwardingNumber:
    id: str
    type: str
    phone: str
    label: str
    flip: str
    device_id: str | None = None

    @property
    def features(self) -> list[str]:
        """Call flip only with a flip digit (1-9: a tenth number has none)."""
        return ["CallFlip", "CallForwarding"] if self.flip else ["CallForwarding"]

    def as_api(self, uri: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.id,
            "uri": uri,
            "phoneNumber": self.phone,
            "label": self.label,
            "features": self.features,
            "type": self.type,
        }
        if self.flip:
            body["flipNumber"] = self.flip
        if self.device_id:
            body["device"] = {"id": self.device_id}
        return body


@dataclass
class Extension:
    id: int
    number: str
    name: str
    email: str
    type: str = "User"
    status: str = "Enabled"
    admin: bool = False
    timezone: str = "America/Los_Angeles"
    direct_number: str = ""
    first_name: str = ""
    last_name: str = ""
    forwarding: list[ForwardingNumber] = field(default_factory=list)
    devices: dict[str, str] = field(default_factory=dict)  # device id → its number
    call_handling: str = "legacy"  # or "new" (comm-handling, v2)
    rules_v1: dict[str, dict[str, Any]] = field(default_factory=dict)
    states_v2: dict[str, dict[str, Any]] = field(default_factory=dict)
    state_rules_v2: dict[str, dict[str, Any]] = field(default_factory=dict)
    interaction_rules_v2: dict[str, dict[str, Any]] = field(default_factory=dict)  # custom rules


@dataclass
class Grant:
    extension_id: int
    expires_at: float
    session_id: str


@dataclass
class CodeGrant:
    """An authorization code the login page issued (RingCentral's codes last 60 s)."""

    extension_id: int
    redirect_uri: str
    challenge: str
    method: str
    expires_at: float
    client_id: str = ""  # the app the code was issued to


@dataclass
class EmulatorState:
    account_id: int
    main_number: str
    call_handling: str
    extensions: dict[int, Extension]
    access_tokens: dict[str, Grant] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    jwt_logins: int = 0
    codes: dict[str, CodeGrant] = field(default_factory=dict)  # authorization codes, single use
    # client id → the one auth flow its app has ("jwt" or "authorization_code"), fixed by the
    # first grant of either kind it asks for (RingCentral: an app is configured for one flow)
    client_flows: dict[str, str] = field(default_factory=dict)
    refreshes: int = 0
    access_ttl: int = ACCESS_TTL
    sessions: dict[str, CallSession] = field(default_factory=dict)
    _next_id: int = 9_100_000

    def next_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)

    def direct_numbers(self) -> set[str]:
        return {e.direct_number for e in self.extensions.values() if e.direct_number} | {
            self.main_number
        }

    @classmethod
    def seeded(cls, seed: Path = SEED) -> EmulatorState:
        data = json.loads(seed.read_text())
        extensions = {p["id"]: _person(p) for p in data["people"]}
        people_models = {p["id"]: p["callHandling"] for p in data["people"] if "callHandling" in p}
        for dept in data.get("departments", []):
            extensions[dept["id"]] = Extension(
                id=dept["id"],
                number=dept["ext"],
                name=dept["name"],
                email=dept["email"],
                type="Department",
                direct_number=dept["direct"],
            )
        account = data["account"]
        state = cls(
            account_id=account["id"],
            main_number=account["mainNumber"],
            call_handling=account["callHandling"],
            extensions=extensions,
        )
        for ext in extensions.values():
            ext.call_handling = people_models.get(ext.id, state.call_handling)
            ext.rules_v1 = legacy_rules([n.id for n in ext.forwarding])
            ext.states_v2, ext.state_rules_v2 = comm_states(), comm_state_rules()
        alice = state.by_email("alice@example.com")
        if alice is not None:
            call = seeded_call(alice.id, alice.direct_number)
            state.sessions[call.id] = call
        return state

    def by_email(self, email: str) -> Extension | None:
        wanted = email.strip().lower()
        return next((e for e in self.extensions.values() if e.email.lower() == wanted), None)

    def issue(self, extension_id: int, session_id: str | None = None) -> dict[str, Any]:
        """A fresh token pair for the extension, shaped as the spec's TokenInfo."""
        session = session_id or secrets.token_hex(8)
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.time()
        self.access_tokens[access] = Grant(extension_id, now + self.access_ttl, session)
        self.refresh_tokens[refresh] = Grant(extension_id, now + REFRESH_TTL, session)
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": self.access_ttl,
            "refresh_token": refresh,
            "refresh_token_expires_in": REFRESH_TTL,
            "scope": "ReadAccounts EditExtensions ReadPresence CallControl",
            "owner_id": str(extension_id),
            "endpoint_id": secrets.token_hex(6),
            "session_id": session,
        }

    def refresh(self, refresh_token: str) -> dict[str, Any] | None:
        """Single-use refresh: the old pair stops working at once."""
        grant = self.refresh_tokens.pop(refresh_token, None)
        if grant is None or grant.expires_at < time.time():
            return None
        for token, held in list(self.access_tokens.items()):
            if held.session_id == grant.session_id:
                del self.access_tokens[token]
        self.refreshes += 1
        return self.issue(grant.extension_id, grant.session_id)

    def revoke(self, token: str) -> None:
        """Revoking either token ends the whole session."""
        grant = self.access_tokens.get(token) or self.refresh_tokens.get(token)
        if grant is None:
            return
        for tokens in (self.access_tokens, self.refresh_tokens):
            for value, held in list(tokens.items()):
                if held.session_id == grant.session_id:
                    del tokens[value]

    def grant_for(self, access_token: str) -> Grant | None:
        return self.access_tokens.get(access_token)

    def expire_access_tokens(self) -> None:
        """Test hook: every access token expires now (refresh tokens stay valid)."""
        for grant in self.access_tokens.values():
            grant.expires_at = 0


def _person(p: dict[str, Any]) -> Extension:
    return Extension(
        id=p["id"],
        number=p["ext"],
        name=f"{p['first']} {p['last']}",
        first_name=p["first"],
        last_name=p["last"],
        email=p["email"],
        admin=p.get("admin", False),
        status=p.get("status", "Enabled"),
        timezone=p["timezone"],
        direct_number=p["direct"],
        forwarding=[_forwarding(f, p["direct"]) for f in p["forwarding"]],
        devices={str(f["device"]): p["direct"] for f in p["forwarding"] if "device" in f},
    )


def _forwarding(f: dict[str, Any], direct: str) -> ForwardingNumber:
    """A seeded number; a desk phone (PhoneLine) rings at the extension's direct number."""
    return ForwardingNumber(
        id=f["id"],
        type=f["type"],
        phone=f.get("phone") or direct,
        label=f.get("label") or f["type"],
        flip=f["flip"],
        device_id=f.get("device"),
    )
