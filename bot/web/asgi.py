"""The HTTP front: /slack/events (signed), /healthz, /readyz, and the process lifespan."""

from __future__ import annotations

import logging

from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.web import calendar_feed, oauth_callback, ringcentral_webhook, signing
from bot.web.payload_guard import is_well_formed, raw_for_bolt
from bot.web.readiness import Readiness

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 512 * 1024  # Slack's own payloads are far smaller (CONTRACT "Limits at the front")


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to exceed `limit` (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or len(declared) > 12 or int(declared) > limit):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class SwitchboardHttp(Starlette):
    runtime: Runtime
    bolt: AsyncApp


def build_asgi(runtime: Runtime, *, signing_secret: str) -> SwitchboardHttp:
    """The ASGI app around a running runtime (`bot.lifecycle.running` owns its life)."""
    bolt = build_app(runtime, signing_secret=signing_secret)
    readiness = Readiness(runtime)

    async def slack_events(request: Request) -> Response:
        if not signing.has_headers(request.headers):
            log.warning("rejected a request without well-formed Slack signature headers")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        body = await read_capped(request, MAX_BODY_BYTES)
        if body is None:
            log.warning("refused a request body over %d bytes", MAX_BODY_BYTES)
            return JSONResponse({"error": "request too large"}, status_code=413)
        if not signing.is_valid(signing_secret, request.headers, body):
            log.warning("rejected a request with a bad or stale Slack signature")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        content_type = request.headers.get("content-type", "")
        if not is_well_formed(body, content_type):
            log.warning("refused a signed request that is not shaped like a Slack payload")
            return JSONResponse({"error": "malformed payload"}, status_code=400)
        bolt_request = AsyncBoltRequest(
            body=raw_for_bolt(body, content_type),
            query=dict(request.query_params),
            headers=dict(request.headers),
        )
        return to_starlette_response(await bolt.async_dispatch(bolt_request))

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        failing = await readiness.failing()
        if failing:
            return JSONResponse({"status": "unavailable", "failing": failing}, status_code=503)
        if degraded := readiness.degraded:
            return JSONResponse({"status": "degraded", "degraded": degraded})
        return JSONResponse({"status": "ready"})

    app = SwitchboardHttp(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            oauth_callback.route(runtime),
            ringcentral_webhook.route(runtime),
            calendar_feed.route(runtime),
        ],
    )
    app.runtime = runtime
    app.bolt = bolt
    return app
