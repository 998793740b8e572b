"""Calls that ring: the emulator's phone network, and pre-call control for a ringing party.

`Phone.ring` starts an inbound call at an extension (the shell's `:ring`, tests, the
bench); `answer` and `hang_up` move it on. Each change is pushed to the subscriptions.
RingCentral's pre-call control for a party still `Setup`/`Proceeding`
(https://developers.ringcentral.com/guide/voice/pre-call-control):
- `…/forward` with exactly one of `phoneNumber`, `extensionNumber`, `extensionId` or
  `voicemail` (an extension id: "routed straight to the specified mailbox") sends it there;
- `…/reject` "is equivalent to the 'Ignore' option […] the caller will still hear ringing
  sounds, until picked up on another Forwarding Number, or until the caller is routed to
  your extension's voicemail": the party goes on ringing here (204), never to voicemail.
A party already answered or gone answers 409. Status codes and reasons are the spec's
(`CallStatusInfo`: `VoiceMail`, reasons without `CallForwarded`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.calls import party_in
from bot.devkit.ringcentral.guard import Guard, json_body
from bot.devkit.ringcentral.push import Pusher
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.routing import effective_routing
from bot.devkit.ringcentral.state import EmulatorState
from bot.devkit.ringcentral.telephony import RINGING, CallSession, Party

SESSION = "/restapi/v1.0/account/{account_id}/telephony/sessions/{session_id}"
FORWARD_TARGETS = ("phoneNumber", "extensionNumber", "extensionId", "voicemail")


class Phone:
    def __init__(self, state: EmulatorState, pusher: Pusher) -> None:
        self.state = state
        self.pusher = pusher

    async def ring(self, extension_id: int, from_number: str, from_name: str = "") -> CallSession:
        ext = self.state.extensions[extension_id]
        # Random, as RingCentral's are: an emulator started anew never reuses the id of a
        # call a bot's database already holds a card for (a counter from 1 did, every run).
        # https://developers.ringcentral.com/guide/voice/call-control (telephonySessionId)
        n = secrets.token_hex(8)
        session = CallSession(id=f"s-{n}", started=datetime.now(UTC))
        session.parties = [
            Party(f"p-{n}-1", None, "Outbound", from_number, from_name, ext.direct_number, ext.name),
            Party(
                f"p-{n}-2",
                ext.id,
                "Inbound",
                from_number,
                from_name,
                ext.direct_number,
                ext.name,
                status="Proceeding",
                answered=False,
            ),
        ]
        self.state.sessions[session.id] = session
        await self.pusher.session_changed(session)
        return session

    async def answer(self, session_id: str, *, by: str | None = None) -> None:
        """Answered at the extension, or (`by`) at one of the numbers its routing rings now:
        the forwarded leg shows as an Outbound party of the extension to that number.
        ⚠ The shape of a forwarded leg in telephony-session events is unconfirmed."""
        party = self._callee(session_id)
        party.status, party.answered = "Answered", True
        session = self.state.sessions[session_id]
        if by is not None:
            assert party.extension_id is not None
            ext = self.state.extensions[party.extension_id]
            routing = effective_routing(ext, datetime.now(UTC))
            rung = [number for number, _ in routing.order] or [routing.to or ""]
            if by not in rung:
                raise ValueError(f"{by} is not rung by extension {ext.number} now ({routing})")
            session.parties.append(
                Party(
                    f"{party.id}-fwd",
                    ext.id,
                    "Outbound",
                    ext.direct_number,
                    ext.name,
                    by,
                    "",
                    status="Answered",
                )
            )
        await self.pusher.session_changed(session)

    async def hang_up(self, session_id: str) -> None:
        """The caller hangs up; never answered, it is a missed call."""
        session = self.state.sessions[session_id]
        for party in session.parties:
            party.status = "Disconnected"
        await self.pusher.session_changed(session)

    def _callee(self, session_id: str) -> Party:
        return next(p for p in self.state.sessions[session_id].parties if p.direction == "Inbound")


def routes(phone: Phone, guard: Guard) -> list[Route]:
    state = phone.state

    def ringing_party(request: Request) -> tuple[CallSession, Party]:
        return party_in(state, guard, request, allowed=RINGING, verb="forwarded")

    async def forward(request: Request) -> Response:
        session, party = ringing_party(request)
        body = await json_body(request)
        given = [key for key in FORWARD_TARGETS if body.get(key) not in (None, "")]
        if len(given) != 1:
            raise Denied(
                rc.error(400, "CMN-101", "Exactly one forward target must be specified", "target")
            )
        value = str(body[given[0]])
        if given[0] == "phoneNumber" and not value.startswith("+"):
            raise Denied(
                rc.error(400, "CMN-101", "Parameter [phoneNumber] value is invalid", "phoneNumber")
            )
        if given[0] == "voicemail":
            if not value.isdigit() or int(value) not in state.extensions:
                raise Denied(
                    rc.error(400, "CMN-101", "Parameter [voicemail] value is invalid", "voicemail")
                )
            party.status, party.reason = "VoiceMail", "Voicemail"
        else:
            # ⚠ the spec's reason enum has no "CallForwarded"; CallRedirected is its nearest value
            party.status, party.reason = "Disconnected", "CallRedirected"
        session.moves.append({"kind": "forward", "party": party.id, given[0]: value})
        await phone.pusher.session_changed(session)
        return JSONResponse(party.as_api(state.account_id), headers=rc.limits("Light"))

    async def reject(request: Request) -> Response:
        """ "Ignore": this device stops ringing, the call does not move (still ringing)."""
        session, party = ringing_party(request)
        session.moves.append({"kind": "reject", "party": party.id})
        return Response(status_code=204, headers=rc.limits("Light"))

    return [
        Route(f"{SESSION}/parties/{{party_id}}/forward", rc.guarded(forward), methods=["POST"]),
        Route(f"{SESSION}/parties/{{party_id}}/reject", rc.guarded(reject), methods=["POST"]),
    ]
