"""POST <the push provider's webhook path>: its push notifications (docs/contract.md "Live calls").

The path, the address check and where a notification carries its token are the provider's
(`PushSubscriptions`, bot/providers/push.py; RingCentral's is `/ringcentral/webhook`):
- the provider checking the address is answered at once as its package says, nothing done;
- otherwise the notification's token must be our subscription's, else 401 and nothing is
  done; the notification is handled after the answer, so the provider never waits on Slack.
- A body that is not JSON, nests deeper than 32 levels or holds a number out of range is
  answered 400 before anything is done (`bot.web.bodies`).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.providers.push import PushSubscriptions
from bot.runtime import Runtime
from bot.tasks import Nobody
from bot.web.bodies import load_json, read_capped

log = logging.getLogger(__name__)
# The provider has its 200 already; a card's owner is told by the card, not by the webhook
NOTIFIED = Nobody("a push notification: the provider is answered, no person asked")
MAX_NOTIFICATION_BYTES = 256 * 1024


def routes(runtime: Runtime) -> list[Route]:
    """The webhook of the provider whose push the deployment keeps (none without one)."""
    push = runtime.providers.push
    return [] if push is None else [route(runtime, push)]


def route(runtime: Runtime, push: PushSubscriptions) -> Route:
    who = push.provider.display

    async def handled(note: object) -> None:
        await runtime.cards.notified(push.events(note))

    async def webhook(request: Request) -> Response:
        answer = push.handshake(request.headers)
        if answer is not None:
            return Response(
                status_code=answer.status, headers=answer.headers, media_type=answer.media_type
            )
        if not await runtime.push.verified(push.token(request.headers)):
            log.warning("refused a %s notification with a wrong verification token", who)
            return JSONResponse({"error": "invalid verification token"}, status_code=401)
        body = await read_capped(request, MAX_NOTIFICATION_BYTES)
        if body is None:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            note = load_json(body)  # too deep or out of range (a `sequence` of 10**30): 400
        except ValueError:
            log.warning("refused a %s notification that is not JSON within bounds", who)
            return JSONResponse({"error": "malformed JSON"}, status_code=400)
        if isinstance(note, dict):
            runtime.tasks.spawn(handled(note), tell=NOTIFIED)
        return Response(status_code=200)

    async def counted(request: Request) -> Response:
        response = await webhook(request)
        metrics.WEBHOOK_NOTIFICATIONS.labels(_outcome(push, request, response.status_code)).inc()
        return response

    return Route(push.webhook_path, counted, methods=["POST"])


def _outcome(push: PushSubscriptions, request: Request, status: int) -> str:
    if push.handshake(request.headers) is not None:
        return "validation"
    return {200: "accepted", 401: "refused"}.get(status, "malformed")
