"""OAuth: the token endpoint (JWT bearer, refresh, authorization code with PKCE), revoke,
and the authorization page.

RingCentral's authorization page is a login form; the emulator's asks only for the email
to sign in as (GET shows it, POST signs in) and then redirects to `redirect_uri` with
`code` and `state`, as the platform does. A code is single use, lasts 60 s and belongs to
the app it was issued to; the token request must repeat the `redirect_uri` and carry the
PKCE `code_verifier`.

An app has one auth flow (https://developers.ringcentral.com/guide/authentication): a JWT
app can't run the authorization-code flow, nor the other way round. Apps are configured
in RingCentral's console; the emulator, which accepts any client id, fixes a client id to
the flow of the first JWT or authorization-code grant it asks for, and answers the other
with 400 `unauthorized_client` / OAU-112 (the code's row in
https://developers.ringcentral.com/guide/basics/errors, the status and `error` of RFC 6749
section 5.2, as https://ringcentral.github.io/ringcentral-faq/unauthorized-grant-type shows
it). Refresh works for both.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import secrets
import time
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.state import CodeGrant, EmulatorState

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FLOWS = {JWT_GRANT: "jwt", "authorization_code": "authorization_code"}
CODE_TTL = 60.0
AUTHORIZE_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def routes(state: EmulatorState) -> list[Route]:
    async def token(request: Request) -> Response:
        client_id = _basic_client(request.headers.get("authorization", ""))
        if not client_id:
            return rc.oauth_error(401, "invalid_client", "OAU-123", "Invalid client")
        form = await _form(request)
        grant_type = form.get("grant_type", "")
        if (
            grant_type in FLOWS
            and state.client_flows.setdefault(client_id, FLOWS[grant_type]) != (FLOWS[grant_type])
        ):
            return _wrong_flow()
        if grant_type == JWT_GRANT:
            ext = state.by_email(form.get("assertion", ""))
            if ext is None or ext.status != "Enabled":
                return rc.oauth_error(
                    400, "invalid_grant", "OAU-140", "Invalid resource owner credentials"
                )
            state.jwt_logins += 1
            return JSONResponse(state.issue(ext.id), headers=rc.limits("Auth"))
        if grant_type == "authorization_code":
            return _exchange(state, form, client_id)
        if grant_type == "refresh_token":
            pair = state.refresh(form.get("refresh_token", ""))
            if pair is None:
                return rc.oauth_error(400, "invalid_grant", "OAU-211", "Token is revoked or expired")
            return JSONResponse(pair, headers=rc.limits("Auth"))
        return rc.oauth_error(400, "unsupported_grant_type", "OAU-250", "Unsupported grant type")

    async def revoke(request: Request) -> Response:
        """With the app's client credentials; the token in the body (recommended) or the query
        (the spec allows both); 200 even when nothing was revoked (docs/providers.md section 1)."""
        if not _basic_client(request.headers.get("authorization", "")):
            return rc.oauth_error(401, "invalid_client", "OAU-123", "Invalid client")
        token = (await _form(request)).get("token") or request.query_params.get("token", "")
        if token:
            state.revoke(token)
        return Response(status_code=200)

    async def authorize(request: Request) -> Response:
        query = dict(request.query_params)
        if query.get("response_type") != "code" or not query.get("client_id"):
            return rc.oauth_error(
                400, "unsupported_response_type", "OAU-250", "response_type must be code"
            )
        if not query.get("redirect_uri", "").startswith(("http://", "https://")):
            return rc.oauth_error(400, "invalid_request", "OAU-109", "redirect_uri is invalid")
        if query.get("code_challenge") and query.get("code_challenge_method", "plain") not in (
            "S256",
            "plain",
        ):
            return rc.oauth_error(400, "invalid_request", "OAU-109", "Unsupported code_challenge_method")
        if state.client_flows.get(query["client_id"], "authorization_code") != "authorization_code":
            return _wrong_flow()
        if request.method == "GET":
            return HTMLResponse(_login_page(query))
        form = await _form(request)
        ext = state.by_email(form.get("email", ""))
        target = query["redirect_uri"]
        if form.get("deny") or ext is None or ext.status != "Enabled":
            reason = {"error": "access_denied", "error_description": "The user denied access"}
            return RedirectResponse(_with(target, {**reason, "state": query.get("state", "")}), 302)
        code = secrets.token_urlsafe(24)
        state.codes[code] = CodeGrant(
            ext.id,
            target,
            query.get("code_challenge", ""),
            query.get("code_challenge_method", "plain"),
            time.time() + CODE_TTL,
            query["client_id"],
        )
        return RedirectResponse(_with(target, {"code": code, "state": query.get("state", "")}), 302)

    return [
        Route("/restapi/oauth/authorize", authorize, methods=["GET", "POST"]),
        Route("/restapi/oauth/token", token, methods=["POST"]),
        Route("/restapi/oauth/revoke", revoke, methods=["POST"]),
    ]


async def _form(request: Request) -> dict[str, str]:
    """Form fields of a urlencoded body (the only kind the token endpoint takes)."""
    return dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))


def _basic_client(header: str) -> str:
    """The client id of a well-formed Basic header with a secret, else ""."""
    if not header.lower().startswith("basic "):
        return ""
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""
    client_id, _, secret = decoded.partition(":")
    return client_id if client_id and secret else ""


def _wrong_flow() -> Response:
    return rc.oauth_error(
        400, "unauthorized_client", "OAU-112", "Client is not authorized for the requested grant type"
    )


def _exchange(state: EmulatorState, form: dict[str, str], client_id: str) -> Response:
    grant = state.codes.pop(form.get("code", ""), None)  # single use, even when refused
    if grant is None or grant.expires_at < time.time():
        return rc.oauth_error(
            400, "invalid_grant", "OAU-113", "Authorization code is invalid or expired"
        )
    if grant.client_id and grant.client_id != client_id:
        return rc.oauth_error(
            400, "invalid_grant", "OAU-110", "Authorization code was not issued for this application"
        )
    if form.get("redirect_uri") != grant.redirect_uri:
        return rc.oauth_error(400, "invalid_grant", "OAU-109", "Redirect URIs do not match")
    verifier = form.get("code_verifier", "")
    if grant.challenge and _challenge(verifier, grant.method) != grant.challenge:
        return rc.oauth_error(400, "invalid_grant", "OAU-114", "Code verifier is invalid")
    return JSONResponse(state.issue(grant.extension_id), headers=rc.limits("Auth"))


def _challenge(verifier: str, method: str) -> str:
    if method == "plain":
        return verifier
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _with(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _login_page(query: dict[str, str]) -> str:
    action = html.escape(
        "/restapi/oauth/authorize?" + urlencode({k: query[k] for k in AUTHORIZE_FIELDS if k in query})
    )
    return (
        "<!doctype html><title>RingCentral emulator: sign in</title>"
        f'<form method="post" action="{action}"><label>Email <input name="email"></label>'
        '<button>Sign in</button> <button name="deny" value="1">Deny</button></form>'
    )
