"""The HTTP front: /slack/events (signed), /healthz, /readyz, /metrics, and the process lifespan."""

from __future__ import annotations

import hmac
import logging
from urllib.parse import parse_qs

from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp, AsyncBoltRequest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.compose import build_app
from bot.runtime import Runtime
from bot.web import calendar_feed, oauth_callback, push_webhook, signing
from bot.web.bodies import read_capped
from bot.web.payload_guard import is_well_formed, raw_for_bolt
from bot.web.readiness import Readiness

log = logging.getLogger(__name__)
MAX_BODY_BYTES = (
    512 * 1024
)  # Slack's own payloads are far smaller (docs/contract.md "Limits at the front")


SSL_CHECK_BYTES = 1024


def is_ssl_check(body: bytes | None) -> bool:
    """Slack checking the certificate of a slash command's URL: a POST of `ssl_check=1`
    (and a `token`), to be answered 200 (https://api.slack.com/interactivity/slash-commands;
    Bolt's SslCheck middleware answers it before any verification). Nothing is done."""
    if not body or b"ssl_check" not in body:
        return False
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return False
    return form.get("ssl_check") == ["1"] and "command" not in form and "payload" not in form


class SwitchboardHttp(Starlette):
    runtime: Runtime
    bolt: AsyncApp


def build_asgi(runtime: Runtime, *, signing_secret: str) -> SwitchboardHttp:
    """The ASGI app around a running runtime (`bot.lifecycle.running` owns its life)."""
    bolt = build_app(runtime, signing_secret=signing_secret)
    readiness = Readiness(runtime)

    async def slack_events(request: Request) -> Response:
        if not signing.has_headers(request.headers):
            if is_ssl_check(await read_capped(request, SSL_CHECK_BYTES)):
                return Response(status_code=200)
            log.warning("rejected a request without well-formed Slack signature headers")
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        body = await read_capped(request, MAX_BODY_BYTES)
        if body is None:
            log.warning("refused a request body over %d bytes", MAX_BODY_BYTES)
            return JSONResponse({"error": "request too large"}, status_code=413)
        if is_ssl_check(body):
            return Response(status_code=200)
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

    async def went_away(request: Request, _: Exception) -> Response:
        """A client that left mid-request: one line, no traceback (nobody reads the answer)."""
        log.info("the client went away mid-request: %s %s", request.method, request.url.path)
        return Response(status_code=400)

    metrics_token = runtime.settings.switchboard_metrics_token

    async def metrics_page(request: Request) -> Response:
        if metrics_token is not None and metrics_token.get_secret_value():
            given = request.headers.get("authorization", "").encode()
            wanted = f"Bearer {metrics_token.get_secret_value()}".encode()
            if not hmac.compare_digest(given, wanted):
                return JSONResponse(
                    {"error": "unauthorized"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
                )
        body = metrics.exposition(queue_depth=runtime.tasks.waiting)
        return Response(body, headers={"Content-Type": metrics.CONTENT_TYPE})

    app = SwitchboardHttp(
        exception_handlers={ClientDisconnect: went_away},
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_page, methods=["GET"]),
            *oauth_callback.routes(runtime),
            *push_webhook.routes(runtime),
            calendar_feed.route(runtime),
        ],
    )
    app.runtime = runtime
    app.bolt = bolt
    return app
