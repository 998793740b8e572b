"""`switchboard serve`: the ASGI app under uvicorn."""

from __future__ import annotations

import logging
from typing import Any

import uvicorn

from bot import logs
from bot.gc_tuning import settle_garbage_collector
from bot.lifecycle import running
from bot.settings import Settings
from bot.web.asgi import build_asgi

log = logging.getLogger(__name__)

# uvicorn's limits, set deliberately rather than inherited (docs/contract.md "Limits at the front");
# the body cap itself (512 KiB, 413) is the HTTP front's, where it is enforced per request.
SERVER_LIMITS: dict[str, Any] = {
    "limit_concurrency": 1000,  # connections + tasks at once; beyond it uvicorn answers 503
    "backlog": 2048,
    "timeout_keep_alive": 5,  # idle keep-alive connections closed after 5 s
    "timeout_graceful_shutdown": 10,  # in-flight requests get 10 s at shutdown
    "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers (h11 parser)
    "server_header": False,
    "date_header": True,
}


async def serve(settings: Settings, *, host: str, port: int) -> int:
    logs.configure(settings.log_level, settings.log_format)
    assert settings.slack_signing_secret is not None
    async with running(settings) as runtime:
        app = build_asgi(runtime, signing_secret=settings.slack_signing_secret.get_secret_value())
        config = uvicorn.Config(
            app, host=host, port=port, log_config=None, access_log=False, lifespan="on", **SERVER_LIMITS
        )
        log.info("Switchboard listening on http://%s:%d/slack/events", host, port)
        settle_garbage_collector()
        await uvicorn.Server(config).serve()
    return 0
