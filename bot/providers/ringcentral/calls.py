"""Call control: find my calls (presence, Light), read a session, transfer, flip.

Transfers and flips are never resent once sent (docs/design.md): on a timeout or 5xx the caller
re-reads the session to learn what happened.
"""

from __future__ import annotations

from bot.providers.errors import Unavailable
from bot.providers.http import Kind
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.models import ActiveCallInfo, CallPartyInfo, CallSessionInfo, PresenceInfo
from bot.providers.ringcentral.paths import ACCOUNT
from bot.providers.ringcentral.requests import Requests

TRANSFER_TARGETS = ("phoneNumber", "extensionNumber", "extensionId", "voicemail", "parkOrbit")
MOVABLE = frozenset({"Answered", "Hold"})


def _session_path(session_id: str) -> str:
    return f"{ACCOUNT}/telephony/sessions/{session_id}"


class CallControl:
    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    async def active_calls(self, extension_id: str) -> list[ActiveCallInfo]:
        """Calls now, from presence with detailed telephony state (not the Heavy active-calls)."""
        path = f"{ACCOUNT}/extension/{extension_id}/presence"
        presence = await self._requests.call(
            "GET", path, PresenceInfo, group="Light", params={"detailedTelephonyState": "true"}
        )
        return [c for c in presence.active_calls if c.telephony_status != "NoCall"]

    async def session(self, session_id: str) -> CallSessionInfo:
        return await self._requests.call(
            "GET", _session_path(session_id), CallSessionInfo, group="Light"
        )

    async def transfer(self, session_id: str, party_id: str, target: dict[str, str]) -> CallPartyInfo:
        """Blind transfer to exactly one of TRANSFER_TARGETS; sent at most once."""
        keys = [key for key in target if key in TRANSFER_TARGETS and target[key]]
        if len(keys) != 1 or len(target) != 1:
            raise ValueError("a transfer needs exactly one target")
        path = f"{_session_path(session_id)}/parties/{party_id}/transfer"
        return await self._requests.call(
            "POST", path, CallPartyInfo, group="Light", kind=Kind.CREATE, json=target
        )

    async def flip(self, session_id: str, party_id: str, flip_id: str) -> None:
        """Flip to one of the user's numbers, by its flip digit. ⚠ callFlipId is sent as `*N`,
        the developer guide's only example ({"callFlipId": "*2"},
        https://developers.ringcentral.com/guide/voice/active-call-control); the spec says
        only "Call flip id"."""
        path = f"{_session_path(session_id)}/parties/{party_id}/flip"
        flip = flip_id if flip_id.startswith("*") else f"*{flip_id}"
        await self._requests.send(
            "POST", path, group="Light", kind=Kind.CREATE, json={"callFlipId": flip}
        )

    async def moved(self, session_id: str, party_id: str) -> bool:
        """After an uncertain transfer/flip: did our party leave Answered/Hold?"""
        try:
            session = await self.session(session_id)
        except Unavailable:
            return False
        party = next((p for p in session.parties if p.id == party_id), None)
        return party is None or party.status.code not in MOVABLE


class PreCallControl:
    """A call still ringing (Setup/Proceeding): forward it to a number, or to voicemail.

    Both are `…/forward` (https://developers.ringcentral.com/guide/voice/pre-call-control);
    `…/reject` is not used: it only stops one device ringing ("Ignore"), the call goes on
    ringing the person's other numbers. Light and not idempotent: sent at most once
    (Kind.CREATE); a 409 means the call already moved on (answered, ended or sent elsewhere).
    Capability.PRE_CALL_CONTROL (`RingingCalls`, bot/providers/ringing.py).
    """

    provider = RINGCENTRAL

    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    async def forward(self, session_id: str, party_id: str, phone_number: str) -> None:
        await self._forward(session_id, party_id, {"phoneNumber": phone_number})

    async def voicemail(self, session_id: str, party_id: str, extension_id: str) -> None:
        """Straight to the mailbox of `extension_id` (the person whose phone rings)."""
        await self._forward(session_id, party_id, {"voicemail": extension_id})

    async def _forward(self, session_id: str, party_id: str, target: dict[str, str]) -> None:
        path = f"{_session_path(session_id)}/parties/{party_id}/forward"
        await self._requests.send("POST", path, group="Light", kind=Kind.CREATE, json=target)
