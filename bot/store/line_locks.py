"""Short leases on lines, so changes to one line's forwarding are made one at a time.

A lease, not a held transaction: the provider calls it covers take seconds, and a
transaction held that long would block every other writer on SQLite. A crashed holder's
lease simply runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.store.db import Database
from bot.store.models import LineLock


async def try_acquire(
    database: Database, *, line: str, holder: str, now: datetime, lease: timedelta
) -> bool:
    async with database.locked(f"line-lock:{line}") as session:
        row = await session.get(LineLock, line)
        if row is None:
            session.add(LineLock(line=line, holder=holder, until=now + lease))
            return True
        if row.holder != holder and row.until > now:
            return False
        row.holder, row.until = holder, now + lease
        return True


async def release(database: Database, *, line: str, holder: str) -> None:
    async with database.session() as session:
        await session.execute(delete(LineLock).where(LineLock.line == line, LineLock.holder == holder))
