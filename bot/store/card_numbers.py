"""Opted-in people's forwarding numbers kept for their call cards (`CallCardNumbers` rows).

A row exists while its person wants cards; anything that reads or changes the numbers of
their line writes them here; the background claims the rows that are due, across instances
(a claim moves `due_at` on with a conditional UPDATE, so two instances never read one line
at the same time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.live_models import CallCardNumbers


@dataclass(frozen=True, slots=True)
class KeptNumbers:
    line_id: str
    numbers: str  # JSON, "" when never read
    read_at: datetime | None


async def want(session: AsyncSession, *, slack_user_id: str, line_id: str, now: datetime) -> None:
    """Keep this person's numbers from now on (read at the next background pass); a row of
    another line (they were linked to another extension) starts again."""
    row = await session.get(CallCardNumbers, slack_user_id)
    if row is None:
        session.add(CallCardNumbers(slack_user_id=slack_user_id, line_id=line_id, due_at=now))
    elif row.line_id != line_id:
        row.line_id, row.numbers, row.read_at, row.due_at = line_id, "", None, now


async def forget(session: AsyncSession, *, slack_user_id: str) -> None:
    await session.execute(delete(CallCardNumbers).where(CallCardNumbers.slack_user_id == slack_user_id))


async def keepers(database: Database) -> set[str]:
    """Everyone whose numbers are kept."""
    async with database.session() as session:
        return set((await session.execute(select(CallCardNumbers.slack_user_id))).scalars())


async def of(database: Database, *, slack_user_id: str) -> KeptNumbers | None:
    async with database.session() as session:
        row = await session.get(CallCardNumbers, slack_user_id)
        return KeptNumbers(row.line_id, row.numbers, row.read_at) if row is not None else None


async def keep(
    database: Database, *, slack_user_id: str, line_id: str, numbers: str, at: datetime, due: datetime
) -> bool:
    """The line's numbers as read or changed `at`; False when nobody keeps them (no row) or
    what is kept is newer (a change written while this read was on its way)."""
    async with database.session() as session:
        done = await session.execute(
            update(CallCardNumbers)
            .where(
                CallCardNumbers.slack_user_id == slack_user_id,
                CallCardNumbers.line_id == line_id,
                or_(CallCardNumbers.read_at.is_(None), CallCardNumbers.read_at <= at),
            )
            .values(numbers=numbers, read_at=at, due_at=due)
        )
        return bool(getattr(done, "rowcount", 0))


async def due(database: Database, *, slack_user_id: str, line_id: str | None, at: datetime) -> None:
    """Read the person's numbers again at `at` (of that line only, when given)."""
    where = [CallCardNumbers.slack_user_id == slack_user_id]
    if line_id is not None:
        where.append(CallCardNumbers.line_id == line_id)
    async with database.session() as session:
        await session.execute(update(CallCardNumbers).where(*where).values(due_at=at))


async def claim_due(
    database: Database, *, now: datetime, limit: int, per_minute: int, lease: timedelta
) -> list[tuple[str, str]]:
    """Up to `limit` (person, line) pairs whose read is due, oldest first, each claimed for
    `lease` (another instance skips it meanwhile; a crash lets the lease run out); fewer when
    the kept numbers read in the last minute, by every instance, come near `per_minute`."""
    async with database.session() as session:
        recent = await session.scalar(
            select(func.count())
            .select_from(CallCardNumbers)
            .where(CallCardNumbers.read_at > now - timedelta(minutes=1))
        )
        limit = min(limit, per_minute - int(recent or 0))
        if limit <= 0:
            return []
        found = await session.execute(
            select(CallCardNumbers.slack_user_id, CallCardNumbers.line_id, CallCardNumbers.due_at)
            .where(CallCardNumbers.due_at <= now)
            .order_by(CallCardNumbers.due_at)
            .limit(limit)
        )
        candidates = list(found.all())
    claimed: list[tuple[str, str]] = []
    for slack_user_id, line_id, due_at in candidates:
        async with database.session() as session:
            done = await session.execute(
                update(CallCardNumbers)
                .where(
                    CallCardNumbers.slack_user_id == slack_user_id,
                    CallCardNumbers.due_at == due_at,
                )
                .values(due_at=now + lease)
            )
            if getattr(done, "rowcount", 0):
                claimed.append((slack_user_id, line_id))
    return claimed
