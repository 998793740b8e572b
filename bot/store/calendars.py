"""Private calendar feeds of on-call shifts: each address's secret is kept only as a hash.

The address is shown once, to the person who asked; a reset replaces it, and the old one
answers 404 from then on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base
from bot.store.types import UtcDateTime as DateTime


class CalendarFeedRow(Base):
    __tablename__ = "calendar_feeds"

    secret_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256, hex
    slack_user_id: Mapped[str] = mapped_column(String(32), index=True)
    rotation_id: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # 0: my shifts, all rotations
    created_at: Mapped[datetime] = mapped_column(DateTime())


@dataclass(frozen=True)
class Feed:
    slack_user_id: str
    rotation_id: int  # 0: the person's own shifts in every rotation
    created_at: datetime


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def find(session: AsyncSession, *, secret: str) -> Feed | None:
    row = await session.get(CalendarFeedRow, digest(secret))
    return Feed(row.slack_user_id, row.rotation_id, row.created_at) if row else None


async def existing(session: AsyncSession, *, slack_user_id: str, rotation_id: int) -> Feed | None:
    row = await session.scalar(
        select(CalendarFeedRow).where(
            CalendarFeedRow.slack_user_id == slack_user_id,
            CalendarFeedRow.rotation_id == rotation_id,
        )
    )
    return Feed(row.slack_user_id, row.rotation_id, row.created_at) if row else None


async def replace(
    session: AsyncSession, *, slack_user_id: str, rotation_id: int, secret: str, now: datetime
) -> None:
    """The person's one feed of that scope is now `secret` (any older address stops working)."""
    await session.execute(
        delete(CalendarFeedRow).where(
            CalendarFeedRow.slack_user_id == slack_user_id,
            CalendarFeedRow.rotation_id == rotation_id,
        )
    )
    session.add(
        CalendarFeedRow(
            secret_hash=digest(secret),
            slack_user_id=slack_user_id,
            rotation_id=rotation_id,
            created_at=now,
        )
    )


async def forget_rotation(session: AsyncSession, *, rotation_id: int) -> None:
    await session.execute(delete(CalendarFeedRow).where(CalendarFeedRow.rotation_id == rotation_id))
