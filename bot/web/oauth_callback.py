"""GET /ringcentral/oauth/callback: where RingCentral sends a person back after signing in.

The page is plain: it says what happened in one sentence (never a token, code or stack),
and the person is told the same in Slack. The shell's stand-in browser calls `finish`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.mrkdwn import code, mention
from bot.runtime import Runtime
from bot.services.sign_in import CALLBACK_PATH, SignInRefused

log = logging.getLogger(__name__)


async def finish(runtime: Runtime, query: Mapping[str, str]) -> tuple[int, str]:
    """(HTTP status, sentence) for one callback; links and tells people on success."""
    try:
        done = await runtime.sign_in.complete(
            state=query.get("state", ""), code=query.get("code", ""), error=query.get("error", "")
        )
    except SignInRefused as refused:
        log.warning("sign-in callback refused")
        if refused.slack_user_id:
            await runtime.notify(refused.slack_user_id, refused.sentence)
        return 400, refused.sentence
    link = done.link
    await runtime.notify(
        link.slack_user_id,
        f"You're connected: Switchboard now acts on extension {code(link.extension_number)} with your "
        "own RingCentral sign-in. `/switchboard disconnect` undoes it.",
    )
    if done.displaced:
        await runtime.notify(
            done.displaced,
            f"{mention(link.slack_user_id)} signed in to RingCentral as extension "
            f"{code(link.extension_number)}, so Switchboard no longer acts on it for you. "
            "Ask a Switchboard admin if that's a mistake.",
        )
    return 200, (
        f"You're connected as extension {link.extension_number}. "
        "You can close this window and go back to Slack."
    )


def route(runtime: Runtime) -> Route:
    async def callback(request: Request) -> Response:
        status, sentence = await finish(runtime, dict(request.query_params))
        page = (
            "<!doctype html><meta charset=utf-8><title>Switchboard</title>"
            f"<p>{html.escape(sentence.replace('`', ''))}</p>"
        )
        return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})

    return Route(CALLBACK_PATH, callback, methods=["GET"])
