"""Who is calling the emulator, and may they touch this extension? (RingCentral's rules)"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.requests import Request

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.state import EmulatorState, Extension, Grant


class Guard:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def grant(self, request: Request) -> Grant:
        """The bearer token's grant, or 401 in RingCentral's shape."""
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise Denied(rc.error(401, "OAU-123", "Authorization header is not specified"))
        grant = self.state.grant_for(header[7:].strip())
        if grant is None:
            raise Denied(rc.error(401, "OAU-149", "Invalid access token"))
        if grant.expires_at < time.time():
            raise Denied(rc.error(401, "OAU-128", "Access token expired"))
        if request.path_params.get("account_id", "~") not in ("~", str(self.state.account_id)):
            raise Denied(rc.error(404, "CMN-102", "Resource for parameter [accountId] is not found"))
        return grant

    def caller(self, request: Request) -> Extension:
        return self.state.extensions[self.grant(request).extension_id]

    def extension(self, request: Request, *, write: bool = False) -> Extension:
        """The path's extension; a non-admin token may only touch its own."""
        caller = self.caller(request)
        raw = str(request.path_params["extension_id"])
        ext = caller if raw == "~" else self.state.extensions.get(int(raw)) if raw.isdigit() else None
        if ext is None:
            raise Denied(rc.error(404, "CMN-102", "Resource for parameter [extensionId] is not found"))
        if ext.id != caller.id and not caller.admin:
            code = "CMN-404" if write else "CMN-408"
            raise Denied(
                rc.error(
                    403, code, "In order to call this API endpoint, user needs to have admin rights"
                )
            )
        return ext


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise Denied(rc.error(400, "CMN-101", "Request body is not valid JSON")) from None
    if not isinstance(body, dict):
        raise Denied(rc.error(400, "CMN-101", "Request body must be a JSON object"))
    return body
