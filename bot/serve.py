"""`switchboard serve`: the ASGI app under uvicorn."""

from __future__ import annotations

import logging

import uvicorn

from bot import logs
from bot.asgi import build_asgi
from bot.gc_tuning import settle_garbage_collector
from bot.runtime import start_runtime
from bot.scheduler import Scheduler
from bot.settings import Settings

log = logging.getLogger(__name__)


async def serve(settings: Settings, *, host: str, port: int) -> int:
    logs.configure(settings.log_level, settings.log_format)
    assert settings.slack_signing_secret is not None
    runtime = await start_runtime(settings)
    app = build_asgi(runtime, signing_secret=settings.slack_signing_secret.get_secret_value())
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False, lifespan="on")
    log.info("Switchboard listening on http://%s:%d/slack/events", host, port)
    scheduler = Scheduler(runtime)
    scheduler.start()
    settle_garbage_collector()
    try:
        await uvicorn.Server(config).serve()
    finally:
        await scheduler.stop()
    return 0
