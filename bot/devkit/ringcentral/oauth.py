"""The token endpoint: JWT bearer grant (assertion = the email to act as) and refresh."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.state import EmulatorState

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def routes(state: EmulatorState) -> list[Route]:
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
            return JSONResponse(state.issue(ext.id), headers=rc.limits("Auth"))
        if grant_type == "refresh_token":
            pair = state.refresh(form.get("refresh_token", ""))
            if pair is None:
                return rc.oauth_error(400, "invalid_grant", "OAU-211", "Token is revoked or expired")
            return JSONResponse(pair, headers=rc.limits("Auth"))
        return rc.oauth_error(400, "unsupported_grant_type", "OAU-250", "Unsupported grant type")

    async def revoke(request: Request) -> Response:
        """With the app's client credentials; the token in the body (recommended) or the query
        (the spec allows both); 200 even when nothing was revoked (PROVIDERS.md section 1)."""
        if not _basic_client(request.headers.get("authorization", "")):
            return rc.oauth_error(401, "invalid_client", "OAU-123", "Invalid client")
        token = (await _form(request)).get("token") or request.query_params.get("token", "")
        if token:
            state.revoke(token)
        return Response(status_code=200)

    return [
        Route("/restapi/oauth/token", token, methods=["POST"]),
        Route("/restapi/oauth/revoke", revoke, methods=["POST"]),
    ]


async def _form(request: Request) -> dict[str, str]:
    """Form fields of a urlencoded body (the only kind the token endpoint takes)."""
    return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))


def _basic_client(header: str) -> bool:
    if not header.lower().startswith("basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    client_id, _, secret = decoded.partition(":")
    return bool(client_id and secret)
