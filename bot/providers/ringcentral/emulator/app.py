"""Routes of the RingCentral emulator at the platform's real paths."""

from __future__ import annotations

import base64
import binascii
import time
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.providers.emulation.faults import FaultMiddleware, Faults
from bot.providers.ringcentral.emulator import responses as rc
from bot.providers.ringcentral.emulator.state import EmulatorState, Extension, Grant

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
MAX_PER_PAGE = 1000
ACCOUNT = "/restapi/v1.0/account/{account_id}"


class RingCentralEmulator(Starlette):
    """A Starlette app that also exposes its state and fault table to tests."""

    emulator_state: EmulatorState
    faults: Faults


def build_emulator(
    state: EmulatorState | None = None, faults: Faults | None = None
) -> RingCentralEmulator:
    state = state or EmulatorState.seeded()
    faults = faults or Faults()

    def current(request: Request) -> Grant | Response:
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            return rc.error(401, "OAU-123", "Authorization header is not specified")
        grant = state.grant_for(header[7:].strip())
        if grant is None:
            return rc.error(401, "OAU-149", "Invalid access token")
        if grant.expires_at < time.time():
            return rc.error(401, "OAU-128", "Access token expired")
        return grant

    def account_ok(request: Request) -> bool:
        return request.path_params["account_id"] in ("~", str(state.account_id))

    async def token(request: Request) -> Response:
        if not _basic_client(request.headers.get("authorization", "")):
            return rc.oauth_error(401, "invalid_client", "OAU-123", "Invalid client")
        form = await _form(request)
        grant_type = form.get("grant_type")
        if grant_type == JWT_GRANT:
            ext = state.by_email(form.get("assertion", ""))
            if ext is None or ext.status != "Enabled":
                return rc.oauth_error(
                    400, "invalid_grant", "OAU-140", "Invalid resource owner credentials"
                )
            state.jwt_logins += 1
            return JSONResponse(state.issue(ext.id))
        if grant_type == "refresh_token":
            pair = state.refresh(form.get("refresh_token", ""))
            if pair is None:
                return rc.oauth_error(400, "invalid_grant", "OAU-211", "Token is revoked or expired")
            return JSONResponse(pair)
        return rc.oauth_error(400, "unsupported_grant_type", "OAU-250", "Unsupported grant type")

    async def revoke(request: Request) -> Response:
        form = await _form(request)
        grant = state.access_tokens.pop((form.get("token", "")), None)
        if grant is not None:
            for token_value, held in list(state.refresh_tokens.items()):
                if held.session_id == grant.session_id:
                    del state.refresh_tokens[token_value]
        return Response(status_code=200)

    async def list_extensions(request: Request) -> Response:
        grant = current(request)
        if isinstance(grant, Response):
            return grant
        if not account_ok(request):
            return rc.error(404, "CMN-102", "Resource for parameter [accountId] is not found")
        query = request.query_params
        try:
            page_no = max(1, int(query.get("page", "1")))
            per_page = min(MAX_PER_PAGE, max(1, int(query.get("perPage", "100"))))
        except ValueError:
            return rc.error(400, "CMN-101", "Parameter [page] value is invalid", "page")
        found = [e for e in state.extensions.values() if _matches(e, request)]
        found.sort(key=lambda e: e.number)
        chunk = found[(page_no - 1) * per_page : page_no * per_page]
        is_admin = state.extensions[grant.extension_id].admin
        records = [rc.extension_summary(state, e, full=is_admin) for e in chunk]
        for record in records:
            record.pop("account", None)
            record.pop("regionalSettings", None)
        uri = f"{rc.BASE}/account/{state.account_id}/extension"
        return JSONResponse(
            rc.page(uri, records, page_no, per_page, len(found)), headers=_limits("Medium")
        )

    async def read_extension(request: Request) -> Response:
        grant = current(request)
        if isinstance(grant, Response):
            return grant
        raw = request.path_params["extension_id"]
        ext_id = grant.extension_id if raw == "~" else _int(raw)
        ext = state.extensions.get(ext_id) if ext_id is not None else None
        if not account_ok(request) or ext is None:
            return rc.error(404, "CMN-102", "Resource for parameter [extensionId] is not found")
        own_or_admin = ext.id == grant.extension_id or state.extensions[grant.extension_id].admin
        body = rc.extension_summary(state, ext, full=own_or_admin)
        return JSONResponse(body, headers=_limits("Light"))

    app = RingCentralEmulator(
        routes=[
            Route("/restapi/oauth/token", token, methods=["POST"]),
            Route("/restapi/oauth/revoke", revoke, methods=["POST"]),
            Route(f"{ACCOUNT}/extension", list_extensions, methods=["GET"]),
            Route(f"{ACCOUNT}/extension/{{extension_id}}", read_extension, methods=["GET"]),
        ]
    )
    app.add_middleware(FaultMiddleware, faults=faults)
    app.emulator_state = state
    app.faults = faults
    return app


async def _form(request: Request) -> dict[str, str]:
    """Form fields of a urlencoded body (the only kind RingCentral's token endpoint takes)."""
    pairs = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)


def _matches(ext: Extension, request: Request) -> bool:
    query = request.query_params
    emails = {e.lower() for e in query.getlist("email")}
    if emails and ext.email.lower() not in emails:
        return False
    if query.get("extensionNumber") and ext.number != query["extensionNumber"]:
        return False
    statuses, types = query.getlist("status"), query.getlist("type")
    if statuses and ext.status not in statuses:
        return False
    return not types or ext.type in types


def _basic_client(header: str) -> bool:
    if not header.lower().startswith("basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    client_id, _, secret = decoded.partition(":")
    return bool(client_id and secret)


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


def _limits(group: str) -> dict[str, str]:
    limit = {"Light": 50, "Medium": 40, "Heavy": 10, "Auth": 5}[group]
    return {
        "X-Rate-Limit-Group": group,
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(limit - 1),
        "X-Rate-Limit-Window": "60",
    }
