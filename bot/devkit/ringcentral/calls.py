"""Presence with detailed telephony state, call sessions, transfer and flip."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard, json_body
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.state import EmulatorState, Extension
from bot.devkit.ringcentral.telephony import MOVABLE, CallSession, Party, presence_status

EXT = "/restapi/v1.0/account/{account_id}/extension/{extension_id}"
SESSION = "/restapi/v1.0/account/{account_id}/telephony/sessions/{session_id}"
TARGETS = ("phoneNumber", "extensionNumber", "extensionId", "voicemail", "parkOrbit")


def routes(state: EmulatorState, guard: Guard) -> list[Route]:
    async def presence(request: Request) -> Response:
        ext = guard.extension(request)
        detailed = request.query_params.get("detailedTelephonyState", "false").lower() == "true"
        parties = [
            p
            for s in state.sessions.values()
            if (p := s.party_of(ext.id)) and p.status != "Disconnected"
        ]
        body: dict[str, Any] = {
            "uri": f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/presence",
            "extension": {"id": ext.id, "extensionNumber": ext.number},
            "presenceStatus": "Busy" if parties else "Available",
            "userStatus": "Available",
            "dndStatus": "TakeAllCalls",
            "telephonyStatus": presence_status(parties[0]) if parties else "NoCall",
        }
        if detailed:
            body["activeCalls"] = [
                _active_call(s, p)
                for s in state.sessions.values()
                if (p := s.party_of(ext.id)) in parties
            ]
        return JSONResponse(body, headers=rc.limits("Light"))

    async def read_session(request: Request) -> Response:
        guard.grant(request)
        return JSONResponse(
            _session(state, request).as_api(state.account_id), headers=rc.limits("Light")
        )

    async def transfer(request: Request) -> Response:
        session, party = _movable_party(state, guard, request)
        body = await json_body(request)
        given = [key for key in TARGETS if body.get(key) not in (None, "")]
        if len(given) != 1:
            raise Denied(
                rc.error(400, "CMN-101", "Exactly one transfer target must be specified", "target")
            )
        target = _transfer_target(state, given[0], str(body[given[0]]))
        party.status, party.reason = "Disconnected", "BlindTransfer"
        session.moves.append(
            {"kind": "transfer", "party": party.id, given[0]: body[given[0]], "to": target}
        )
        return JSONResponse(party.as_api(state.account_id), headers=rc.limits("Light"))

    async def flip(request: Request) -> Response:
        session, party = _movable_party(state, guard, request)
        body = await json_body(request)
        owner = state.extensions[party.extension_id] if party.extension_id else None
        # The guide's example is {"callFlipId": "*2"}: `*` and the number's flip digit
        # (https://developers.ringcentral.com/guide/voice/active-call-control); a bare digit
        # is refused, stricter than the spec's "Call flip id" never kinder.
        flip_id = str(body.get("callFlipId", ""))
        digit = flip_id[1:] if flip_id.startswith("*") else None
        number = next(
            (n for n in (owner.forwarding if owner else []) if digit and n.flip == digit), None
        )
        if number is None:
            raise Denied(
                rc.error(400, "CMN-101", "Parameter [callFlipId] value is invalid", "callFlipId")
            )
        party.status, party.reason = "Disconnected", "CallFlip"
        session.moves.append(
            {"kind": "flip", "party": party.id, "callFlipId": flip_id, "to": number.phone}
        )
        return Response(status_code=200, headers=rc.limits("Light"))

    return [
        Route(f"{EXT}/presence", rc.guarded(presence), methods=["GET"]),
        Route(SESSION, rc.guarded(read_session), methods=["GET"]),
        Route(f"{SESSION}/parties/{{party_id}}/transfer", rc.guarded(transfer), methods=["POST"]),
        Route(f"{SESSION}/parties/{{party_id}}/flip", rc.guarded(flip), methods=["POST"]),
    ]


def _session(state: EmulatorState, request: Request) -> CallSession:
    session = state.sessions.get(request.path_params["session_id"])
    if session is None:
        raise Denied(rc.error(404, "TAS-102", "Telephony session not found"))
    return session


def _movable_party(state: EmulatorState, guard: Guard, request: Request) -> tuple[CallSession, Party]:
    return party_in(state, guard, request, allowed=MOVABLE, verb="moved")


def party_in(
    state: EmulatorState, guard: Guard, request: Request, *, allowed: set[str], verb: str
) -> tuple[CallSession, Party]:
    """The path's session and party, if the caller may control it and its status allows."""
    caller = guard.caller(request)
    session = _session(state, request)
    party = session.party(request.path_params["party_id"])
    if party is None:
        raise Denied(rc.error(404, "TAS-103", "Party not found"))
    if party.extension_id != caller.id and not caller.admin:
        raise Denied(rc.error(403, "CMN-404", "No rights over this call party"))
    if party.status not in allowed:
        raise Denied(rc.error(409, "TAS-104", f"Call party in status {party.status} can't be {verb}"))
    return session, party


def _transfer_target(state: EmulatorState, kind: str, value: str) -> str:
    if kind == "extensionNumber":
        ext = next((e for e in state.extensions.values() if e.number == value), None)
        return _exists(ext, "extensionNumber").name
    if kind in ("extensionId", "voicemail"):
        ext = state.extensions.get(int(value)) if value.isdigit() else None
        return ("voicemail of " if kind == "voicemail" else "") + _exists(ext, kind).name
    if kind == "phoneNumber" and not value.startswith("+"):
        raise Denied(rc.error(400, "CMN-101", "Parameter [phoneNumber] value is invalid", "phoneNumber"))
    return value


def _exists(ext: Extension | None, parameter: str) -> Extension:
    if ext is None:
        raise Denied(rc.error(400, "CMN-101", f"Parameter [{parameter}] value is invalid", parameter))
    return ext


def _active_call(session: CallSession, party: Party) -> dict[str, Any]:
    return {
        "id": f"{session.id}-{party.id}",
        "direction": party.direction,
        "from": party.from_number,
        "fromName": party.from_name,
        "to": party.to_number,
        "toName": party.to_name,
        "startTime": session.started.isoformat().replace("+00:00", "Z"),
        "telephonyStatus": presence_status(party),
        "telephonySessionId": session.id,
        "partyId": party.id,
        "sessionId": session.id.removeprefix("s-"),
        "queueCall": False,
    }
