"""POST /ringcentral/webhook: RingCentral's push notifications (docs/contract.md "Live calls").

- `Validation-Token` (RingCentral checking the address when a subscription is created):
  echoed at once with 200, `Content-Type: application/json` and an empty body (the answer
  must stay under 1 KiB, within 3 s).
- Otherwise the `Verification-Token` must be our subscription's, else 401 and nothing is
  done; the notification is handled after the answer, so RingCentral never waits on Slack.
- A body that is not JSON, nests deeper than 32 levels or holds a number out of range is
  answered 400 before anything is done (`bot.web.bodies`).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.runtime import Runtime
from bot.services.push import WEBHOOK_PATH
from bot.tasks import Nobody
from bot.web.bodies import load_json, read_capped

log = logging.getLogger(__name__)
MAX_NOTIFICATION_BYTES = 256 * 1024
# RingCentral has its 200 already; the card's owner is told by the card, not by the webhook
NOTIFIED = Nobody("a RingCentral notification: RingCentral is answered, no person asked")


def route(runtime: Runtime) -> Route:
    async def webhook(request: Request) -> Response:
        validation = request.headers.get("validation-token")
        if validation is not None:
            # "transmit the HTTP header of Content-type: application/json, even if your
            # response's body is empty", else SUB-525 and no subscription:
            # https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
            return Response(
                status_code=200,
                headers={"Validation-Token": validation[:200]},
                media_type="application/json",
            )
        if not await runtime.push.verified(request.headers.get("verification-token")):
            log.warning("refused a RingCentral notification with a wrong verification token")
            return JSONResponse({"error": "invalid verification token"}, status_code=401)
        body = await read_capped(request, MAX_NOTIFICATION_BYTES)
        if body is None:
            return JSONResponse({"error": "too large"}, status_code=413)
        try:
            note = load_json(body)  # too deep or out of range (a `sequence` of 10**30): 400
        except ValueError:
            log.warning("refused a RingCentral notification that is not JSON within bounds")
            return JSONResponse({"error": "malformed JSON"}, status_code=400)
        if isinstance(note, dict):
            runtime.tasks.spawn(runtime.cards.notified(note), tell=NOTIFIED)
        return Response(status_code=200)

    async def counted(request: Request) -> Response:
        response = await webhook(request)
        metrics.WEBHOOK_NOTIFICATIONS.labels(_outcome(request, response.status_code)).inc()
        return response

    return Route(WEBHOOK_PATH, counted, methods=["POST"])


def _outcome(request: Request, status: int) -> str:
    if request.headers.get("validation-token") is not None:
        return "validation"
    return {200: "accepted", 401: "refused"}.get(status, "malformed")
