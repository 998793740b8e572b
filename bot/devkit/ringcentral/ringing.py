"""Calls that ring: the emulator's phone network, and pre-call control for a ringing party.

`Phone.ring` starts an inbound call at an extension (the shell's `:ring`, tests, the
bench); `answer` and `hang_up` move it on. Each change is pushed to the subscriptions.
RingCentral's pre-call control for a party still `Setup`/`Proceeding`: `…/forward` (one of
`phoneNumber`, `extensionNumber`, `extensionId`, `voicemail`) sends it elsewhere and
`…/reject` sends it to voicemail (204); a party already answered or gone answers 409.
"""

from __future__ import annotations

import itertools
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
_ids = itertools.count(1)


class Phone:
    def __init__(self, state: EmulatorState, pusher: Pusher) -> None:
        self.state = state
        self.pusher = pusher

    async def ring(self, extension_id: int, from_number: str, from_name: str = "") -> CallSession:
        ext = self.state.extensions[extension_id]
        n = next(_ids)
        session = CallSession(id=f"s-ring{n:06d}", started=datetime.now(UTC))
        session.parties = [
            Party(
                f"p-ring{n:06d}-1", None, "Outbound", from_number, from_name, ext.direct_number, ext.name
            ),
            Party(
                f"p-ring{n:06d}-2",
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
        party.status, party.reason = "Disconnected", "CallForwarded"
        session.moves.append({"kind": "forward", "party": party.id, given[0]: value})
        await phone.pusher.session_changed(session)
        return JSONResponse(party.as_api(state.account_id), headers=rc.limits("Light"))

    async def reject(request: Request) -> Response:
        session, party = ringing_party(request)
        party.status = "Voicemail"
        session.moves.append({"kind": "reject", "party": party.id})
        await phone.pusher.session_changed(session)
        return Response(status_code=204, headers=rc.limits("Light"))

    return [
        Route(f"{SESSION}/parties/{{party_id}}/forward", rc.guarded(forward), methods=["POST"]),
        Route(f"{SESSION}/parties/{{party_id}}/reject", rc.guarded(reject), methods=["POST"]),
    ]
