"""Time off (`/oncall away`): while a person is away they are skipped in every rotation, and
the next member in order covers. Nothing is written per shift: the covers are worked out
from these rows whenever a rotation's overrides are read (`rotations.overrides`), so a
schedule change, another person's time off or a cancellation never leaves a stale cover."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.records import Away as Away  # re-exported: store callers keep it
from bot.store.models import Base
from bot.store.types import UtcDateTime as DateTime


class TimeOffRow(Base):
    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    ends_at: Mapped[datetime] = mapped_column(DateTime())
    created_at: Mapped[datetime] = mapped_column(DateTime())


async def add(
    session: AsyncSession, *, slack_user_id: str, start: datetime, end: datetime, now: datetime
) -> None:
    session.add(TimeOffRow(slack_user_id=slack_user_id, starts_at=start, ends_at=end, created_at=now))


async def of(session: AsyncSession, *, members: Sequence[str], since: datetime) -> list[Away]:
    """Time off of these people that hasn't ended by `since`, earliest first."""
    if not members:
        return []
    rows = await session.scalars(
        select(TimeOffRow)
        .where(TimeOffRow.slack_user_id.in_(list(members)), TimeOffRow.ends_at > since)
        .order_by(TimeOffRow.starts_at, TimeOffRow.id)
    )
    return [Away(r.slack_user_id, r.starts_at, r.ends_at) for r in rows]


async def cancel(session: AsyncSession, *, slack_user_id: str, now: datetime) -> int:
    """End the person's time off now: running ones stop, future ones go; how many there were."""
    running = await session.execute(
        update(TimeOffRow)
        .where(TimeOffRow.slack_user_id == slack_user_id)
        .where(TimeOffRow.starts_at <= now, TimeOffRow.ends_at > now)
        .values(ends_at=now)
    )
    future = await session.execute(
        delete(TimeOffRow).where(TimeOffRow.slack_user_id == slack_user_id, TimeOffRow.starts_at > now)
    )
    return int(running.rowcount or 0) + int(future.rowcount or 0)  # type: ignore[attr-defined]
