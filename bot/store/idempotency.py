"""Idempotency keys: claimed before a provider mutation, unique across instances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.store.db import Database
from bot.store.models import IdempotencyKey


async def claim(database: Database, *, key: str, action: str, now: datetime) -> bool:
    """True the first time `key` is seen; False for every replay (on any instance)."""
    try:
        async with database.session() as session:
            session.add(IdempotencyKey(key=key, action=action, created_at=now))
    except IntegrityError:
        return False
    return True


async def is_claimed(database: Database, *, key: str) -> bool:
    async with database.session() as session:
        found = await session.scalar(select(IdempotencyKey.key).where(IdempotencyKey.key == key))
    return found is not None


async def forget_older_than(database: Database, *, cutoff: datetime) -> None:
    async with database.session() as session:
        await session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))


async def release(database: Database, *, key: str) -> None:
    """Give a key back when its change certainly did not happen (the user may try again)."""
    async with database.session() as session:
        await session.execute(delete(IdempotencyKey).where(IdempotencyKey.key == key))
