"""The scheduler's housekeeping: idempotency keys don't pile up forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.lifecycle import scheduler_for
from bot.scheduler import KEEP_KEYS
from bot.store.models import IdempotencyKey
from tests.helpers.harness import Harness


async def keys(bot: Harness) -> int:
    async with bot.runtime.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(IdempotencyKey)) or 0)


async def test_old_idempotency_keys_are_purged_hourly(bot: Harness) -> None:
    await bot.command("alice", "/forward", "add +1 650 555 0199 Desk")
    assert await keys(bot) == 1
    scheduler = scheduler_for(bot.runtime)
    now = datetime.now(UTC)
    await scheduler.tick(now + KEEP_KEYS - timedelta(minutes=10))
    assert await keys(bot) == 1  # still young enough
    await scheduler.tick(now + KEEP_KEYS + timedelta(minutes=10))
    assert await keys(bot) == 1  # old now, but the last purge was 20 minutes ago
    await scheduler.tick(now + KEEP_KEYS + timedelta(hours=2))
    assert await keys(bot) == 0
