"""Rate-limit holds kept in the store so every instance respects a provider's 429."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import RateLimitHold


async def hold(database: Database, *, provider: str, group: str, until: datetime) -> None:
    async with database.session() as session:
        row = await session.get(RateLimitHold, (provider, group))
        if row is None:
            session.add(RateLimitHold(provider=provider, group_name=group, held_until=until))
        elif row.held_until < until:
            row.held_until = until


async def held_until(database: Database, *, provider: str, group: str) -> datetime | None:
    async with database.session() as session:
        return await session.scalar(
            select(RateLimitHold.held_until).where(
                RateLimitHold.provider == provider, RateLimitHold.group_name == group
            )
        )
