"""One lifecycle for every front end (`serve`, `socket`, `shell`).

    async with running(settings) as runtime:
        ...serve requests...

Start-up: the store (migrated on SQLite), the provider clients, our Slack workspace
(`auth.test`, docs/contract.md "Trust"), then the scheduler. Shutdown in reverse: the scheduler
stops before the runtime it uses is closed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.runtime import Runtime, start_runtime
from bot.scheduler import Scheduler
from bot.settings import Settings


def scheduler_for(runtime: Runtime) -> Scheduler:
    """The scheduler, given the services it uses (and no more of the runtime)."""
    return Scheduler(
        database=runtime.database,
        clock=runtime.clock,
        toggles=runtime.toggles,
        handoffs=runtime.handoffs,
        identity=runtime.identity,
        sign_in=runtime.sign_in,
        push=runtime.push,
        notices=runtime.notices,
        tick_seconds=runtime.settings.switchboard_tick_seconds,
        card_numbers=runtime.cards.numbers_kept,
    )


@asynccontextmanager
async def running(settings: Settings, *, bot_token: str | None = None) -> AsyncIterator[Runtime]:
    runtime = await start_runtime(settings, bot_token=bot_token)
    try:
        await runtime.workspace.get()
        scheduler = scheduler_for(runtime)
        scheduler.start()
        try:
            yield runtime
        finally:
            await scheduler.stop()
    finally:
        await runtime.aclose()
