"""`switchboard socket`: the same Bolt app over Socket Mode (no public URL needed)."""

from __future__ import annotations

import asyncio
import logging
import signal

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot import logs
from bot.compose import build_app
from bot.gc_tuning import settle_garbage_collector
from bot.lifecycle import running
from bot.runtime import Runtime
from bot.settings import Settings

log = logging.getLogger(__name__)


async def start_socket_mode(runtime: Runtime, app_token: str) -> AsyncSocketModeHandler:
    handler = AsyncSocketModeHandler(build_app(runtime), app_token, web_client=runtime.slack)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    return handler


async def run_socket_mode(settings: Settings) -> int:
    logs.configure(settings.log_level, settings.log_format)
    assert settings.slack_app_token is not None
    async with running(settings) as runtime:
        handler = await start_socket_mode(runtime, settings.slack_app_token.get_secret_value())
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        log.info("Switchboard connected over Socket Mode")
        settle_garbage_collector()
        try:
            await stop.wait()
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]
    return 0
