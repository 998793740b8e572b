"""UnifiedAPI routes: the OAuth token and phone calls (list, transfer, to voicemail).

Errors use UnifiedAPI's body `{"error": {"code", "message"}}`. As on the real server, a
PUT without a phone call id moves every call of the extension; the client refuses to send one.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.faults import FaultMiddleware, Faults
from bot.devkit.voipnow.state import PhoneCall, VnExtension, VoipNowState

PUBLIC = re.compile(r"^\+?\d{6,15}$")
EXTENSION = re.compile(r"^\d{4}\*\d{3}$|^\d{3}$")


class VoipNowEmulator(Starlette):
    emulator_state: VoipNowState
    faults: Faults


class _Error(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.response = JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def build_emulator(state: VoipNowState | None = None, faults: Faults | None = None) -> VoipNowEmulator:
    state = state or VoipNowState.seeded()
    faults = faults or Faults()

    def owner(request: Request) -> VnExtension:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer ") or not state.token_ok(header[7:].strip()):
            raise _Error(401, "access_denied", "The access token is missing, invalid or expired.")
        ext = _extension(state, request.path_params["extension"])
        if ext is None:
            raise _Error(400, "extension_invalid", "The extension is invalid.")
        user = request.path_params["user_id"]
        if user not in ("@me", "@viewer", "@owner") and user != str(ext.user_id):
            raise _Error(400, "user_invalid", "The user is invalid.")
        return ext

    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        if (
            form.get("grant_type") != "client_credentials"
            or not form.get("client_id")
            or not form.get("client_secret")
        ):
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Bad client"}, status_code=401
            )
        return JSONResponse(state.issue_token())

    async def list_calls(request: Request) -> Response:
        try:
            ext = owner(request)
        except _Error as error:
            return error.response
        wanted = request.path_params.get("call_id")
        calls = [c for c in state.calls_of(ext.number) if not wanted or c.id == wanted]
        entries = [c.as_api(ext) for c in calls]
        return JSONResponse(
            {
                "entry": entries,
                "totalResults": len(entries),
                "itemsPerPage": len(entries),
                "startIndex": 0,
            }
        )

    async def act(request: Request) -> Response:
        try:
            ext = owner(request)
            body = _body(await request.body())
            wanted = request.path_params.get("call_id")
            calls = [c for c in state.calls_of(ext.number) if not wanted or c.id == wanted]
            if wanted and not calls:
                raise _Error(400, "pc_phoncall_invalid", "The phone call is invalid.")
            for call in calls:
                _move(state, ext, call, body)
        except _Error as error:
            return error.response
        if not calls:
            return Response(status_code=204)
        link = f"/uapi/phoneCalls/{ext.user_id}/{ext.number}/{calls[0].id}"
        return JSONResponse(
            {"id": calls[0].id, "extension": ext.number, "link": {"self": link}}, status_code=202
        )

    calls = "/uapi/phoneCalls/{user_id}/{extension}"
    app = VoipNowEmulator(
        routes=[
            Route("/oauth/token.php", token, methods=["POST"]),
            Route(calls, list_calls, methods=["GET"]),
            Route(calls + "/{call_id}", list_calls, methods=["GET"]),
            Route(calls, act, methods=["PUT"]),
            Route(calls + "/{call_id}", act, methods=["PUT"]),
        ],
        exception_handlers={404: _not_served, 405: _not_served},
    )
    app.add_middleware(FaultMiddleware, faults=faults)
    app.emulator_state = state
    app.faults = faults
    return app


def _extension(state: VoipNowState, raw: str) -> VnExtension | None:
    """Extended (`0003*210`) or short (`210`) form."""
    found = state.extensions.get(raw)
    if found is None and raw.isdigit():
        found = next((e for number, e in state.extensions.items() if number.endswith(f"*{raw}")), None)
    return found


def _body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise _Error(400, "request_invalid", "The request body is not JSON.") from None
    if not isinstance(body, dict):
        raise _Error(400, "request_invalid", "The request body is not an object.")
    return body


def _move(state: VoipNowState, ext: VnExtension, call: PhoneCall, body: dict[str, Any]) -> None:
    action = body.get("action")
    send_to = str(body.get("sendCallTo") or "")
    parties = {call.extension, call.other}
    if action == "Transfer":
        if not (PUBLIC.match(send_to) or send_to in state.extensions):
            raise _Error(400, "pc_sendcallto_invalid", "The sendCallTo number is invalid.")
        if body.get("transferFromNumber") not in parties:
            raise _Error(400, "pc_transfer_from_number_invalid", "The transferFromNumber is invalid.")
        if body.get("transferNumber") not in (None, *parties):
            raise _Error(400, "pc_transfer_number_invalid", "The transferNumber is invalid.")
    elif action == "TransferToVoicemail":
        target = state.extensions.get(send_to)
        if target is None or not target.voicemail:
            raise _Error(400, "pc_sendcallto_invalid", "That extension has no mailbox.")
        if body.get("transferNumber") not in parties:
            raise _Error(400, "pc_transfer_number_invalid", "The transferNumber is invalid.")
    else:
        raise _Error(501, "request_not_implemented", "This action is not implemented.")
    del state.calls[call.id]
    state.moves.append({"call": call.id, "action": action, "to": send_to, "from": ext.number})


async def _not_served(_request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer UnifiedAPI's error body, never plain text."""
    status = getattr(exc, "status_code", 404)
    code = "resource_not_found" if status == 404 else "method_not_allowed"
    return JSONResponse({"error": {"code": code, "message": "Not served here"}}, status_code=status)
