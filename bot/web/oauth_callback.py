"""The two pages of an own sign-in (docs/contract.md "Sign-in that proves ownership"), at
the paths of the provider that brings personal sign-in (`SignInPages`, bot/providers/sign_in.py;
RingCentral's are /ringcentral/oauth/start and /ringcentral/oauth/callback).

GET <start>: the link `/switchboard connect` answers. It binds the sign-in to this browser
with a cookie (`HttpOnly`, `SameSite=Lax`, `Secure` unless the public URL is loopback http)
and answers 302 to the provider's authorize page. `Lax` is what lets the cookie come back on
the provider's redirect to the callback, a top-level GET navigation from another site
(https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#samesitesamesite-value).

GET <callback>: where the provider sends the browser back. It links nothing unless the same
browser brings the cookie back. The page is plain: it says what happened in one sentence
(never a token, code or stack), and the person is told the same in Slack.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.mrkdwn import code, mention
from bot.runtime import Runtime
from bot.services.sign_in import CONNECT_TTL, COOKIE, SignInRefused

log = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store"}


async def finish(
    runtime: Runtime, query: Mapping[str, str], cookie: str | None = None
) -> tuple[int, str]:
    """(HTTP status, sentence) for one callback; links and tells people on success."""
    try:
        done = await runtime.sign_in.complete(
            state=query.get("state", ""),
            code=query.get("code", ""),
            error=query.get("error", ""),
            cookie=cookie,
        )
    except SignInRefused as refused:
        log.warning("sign-in callback refused")
        if refused.slack_user_id:
            await runtime.notify(refused.slack_user_id, refused.said)
        return 400, refused.sentence
    link = done.link
    provider = link.provider.display
    await runtime.notify(
        link.slack_user_id,
        f"You're connected: Switchboard now acts on extension {code(link.extension_number)} with your "
        f"own {provider} sign-in. `/switchboard disconnect` undoes it.",
    )
    if done.displaced:
        await runtime.notify(
            done.displaced,
            f"{mention(link.slack_user_id)} signed in to {provider} as extension "
            f"{code(link.extension_number)}, so Switchboard no longer acts on it for you. "
            "Ask a Switchboard admin if that's a mistake.",
        )
    return 200, (
        f"You're connected as extension {link.extension_number}. "
        "You can close this window and go back to Slack."
    )


def page(sentence: str, status: int) -> HTMLResponse:
    """The page's one sentence, in plain words (a refusal's `plain` text: no mrkdwn)."""
    body = f"<!doctype html><meta charset=utf-8><title>Switchboard</title><p>{html.escape(sentence)}</p>"
    return HTMLResponse(body, status_code=status, headers=NO_STORE)


def routes(runtime: Runtime) -> list[Route]:
    """The start and callback pages where the provider with personal sign-in has them (none
    without one)."""
    pages = runtime.sign_in.pages
    if pages is None:
        return []

    async def start(request: Request) -> Response:
        if request.method != "GET":  # a HEAD (a link checker's) binds no browser
            return Response(status_code=200, headers=NO_STORE)
        try:
            opened = await runtime.sign_in.open(
                state=request.query_params.get("state", ""), cookie=request.cookies.get(COOKIE)
            )
        except SignInRefused as refused:
            log.warning("sign-in start page refused")
            return page(refused.sentence, 400)
        response = RedirectResponse(opened.authorize_url, status_code=302, headers=NO_STORE)
        response.set_cookie(
            COOKIE,
            opened.cookie,
            max_age=int(CONNECT_TTL.total_seconds()),
            path=opened.path,
            secure=opened.secure,
            httponly=True,
            samesite="lax",
        )
        return response

    async def callback(request: Request) -> Response:
        status, sentence = await finish(runtime, dict(request.query_params), request.cookies.get(COOKIE))
        response = page(sentence, status)
        response.delete_cookie(
            COOKIE,
            path=runtime.sign_in.cookie_path,
            secure=runtime.sign_in.secure_cookie,
            httponly=True,
            samesite="lax",
        )
        return response

    return [
        Route(pages.start, start, methods=["GET"]),
        Route(pages.callback, callback, methods=["GET"]),
    ]
