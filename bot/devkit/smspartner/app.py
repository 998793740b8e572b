"""SMSPartner's callforward endpoint, modelled on the documented codes.

As docs/providers.md warns, "already enabled" (16/17) does not apply a new `param`: the
emulator keeps the old target then, so a client that changes a target without disabling
first is caught by the tests. Success codes for types 1 and 2 are unconfirmed; the emulator
answers 3 and 4 with `success: true`, and failures with HTTP 400 and `success: false`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.faults import FaultMiddleware, Faults

API_KEY = "emulator"
TEAM_NUMBER = "+33612345678"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[1-9]\d{7,14}$")
MESSAGES = {
    2: "Callforward disabled",
    3: "Callforward enabled",
    4: "Voicemail enabled",
    5: "virtual number is required",
    6: "type is required",
    7: "type is invalid",
    8: "param is required",
    9: "email is invalid",
    10: "API key is required",
    12: "forwarding number is invalid",
    13: "virtual number does not exist",
    14: "call forwarding is not enabled",
    15: "number is deactivated",
    16: "call forwarding is already enabled",
    17: "voicemail is already enabled",
    18: "call forwarding is already disabled",
}


@dataclass
class VirtualNumber:
    number: str
    type: int = 0
    param: str = ""
    forwarding_allowed: bool = True
    active: bool = True


@dataclass
class SmsPartnerState:
    numbers: dict[str, VirtualNumber] = field(default_factory=dict)
    calls: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def seeded(cls) -> SmsPartnerState:
        seeded = [
            VirtualNumber(TEAM_NUMBER),
            VirtualNumber("+33612345679", forwarding_allowed=False),
            VirtualNumber("+33612345670", active=False),
        ]
        return cls(numbers={n.number: n for n in seeded})


class SmsPartnerEmulator(Starlette):
    emulator_state: SmsPartnerState
    faults: Faults


def build_emulator(
    state: SmsPartnerState | None = None, faults: Faults | None = None
) -> SmsPartnerEmulator:
    state = state or SmsPartnerState.seeded()
    faults = faults or Faults()

    async def callforward(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        state.calls.append({k: v for k, v in body.items() if k != "apiKey"})
        code = _apply(state, body)
        ok = code in (2, 3, 4, 16, 17, 18)
        return JSONResponse(
            {"success": ok, "code": code, "message": MESSAGES.get(code, "error")},
            status_code=200 if ok else 400,
        )

    app = SmsPartnerEmulator(
        routes=[Route("/v1/vn/callforward", callforward, methods=["POST"])],
        exception_handlers={404: _not_served, 405: _not_served},
    )
    app.add_middleware(FaultMiddleware, faults=faults)
    app.emulator_state = state
    app.faults = faults
    return app


def _apply(state: SmsPartnerState, body: dict[str, Any]) -> int:
    if body.get("apiKey") != API_KEY:
        return 10
    if not body.get("number"):
        return 5
    if "type" not in body:
        return 6
    kind, param = body.get("type"), str(body.get("param") or "")
    if kind not in (0, 1, 2):
        return 7
    number = state.numbers.get(str(body["number"]))
    if number is None:
        return 13
    if not number.active:
        return 15
    if not number.forwarding_allowed:
        return 14
    if kind == 0:
        return _set(number, 0, "", done=2, already=18)
    if not param:
        return 8
    if kind == 1 and not PHONE.match(param):
        return 12
    if kind == 2 and not EMAIL.match(param):
        return 9
    return _set(number, int(kind), param, done=3 if kind == 1 else 4, already=16 if kind == 1 else 17)


def _set(number: VirtualNumber, kind: int, param: str, *, done: int, already: int) -> int:
    if number.type == kind:
        return already  # the new param, if any, is NOT applied (the documented caveat)
    number.type, number.param = kind, param
    return done


async def _not_served(_request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer SMSPartner's JSON shape (`success: false`), never text."""
    status = getattr(exc, "status_code", 404)
    return JSONResponse({"success": False, "code": status, "message": "Not found"}, status_code=status)
