"""Cover requests ("Take it" in the rotation's channel) and time off.

A cover request is taken by one compare-and-set (`status` from open to taken) in the same
transaction as the override it makes, so two presses on two instances make one override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, String, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.models import Base, OverrideRow
from bot.store.types import UtcDateTime as DateTime

OPEN, TAKEN, CANCELLED, EXPIRED = "open", "taken", "cancelled", "expired"


class CoverRow(Base):
    __tablename__ = "cover_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rotation_id: Mapped[int] = mapped_column(Integer, index=True)
    asker: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime] = mapped_column(DateTime())
    ends_at: Mapped[datetime] = mapped_column(DateTime())
    status: Mapped[str] = mapped_column(String(16), default=OPEN, server_default=OPEN)
    taken_by: Mapped[str] = mapped_column(String(32), default="", server_default="")
    channel: Mapped[str] = mapped_column(String(32), default="", server_default="")
    ts: Mapped[str] = mapped_column(String(32), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime())


@dataclass(frozen=True)
class Cover:
    id: int
    rotation_id: int
    asker: str
    start: datetime
    end: datetime
    status: str
    taken_by: str
    channel: str
    ts: str


def _cover(row: CoverRow) -> Cover:
    return Cover(
        row.id,
        row.rotation_id,
        row.asker,
        row.starts_at,
        row.ends_at,
        row.status,
        row.taken_by,
        row.channel,
        row.ts,
    )


async def add(
    session: AsyncSession, *, rotation_id: int, asker: str, start: datetime, end: datetime, now: datetime
) -> Cover:
    row = CoverRow(
        rotation_id=rotation_id,
        asker=asker,
        starts_at=start,
        ends_at=end,
        status=OPEN,
        taken_by="",
        channel="",
        ts="",
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return _cover(row)


async def get(session: AsyncSession, *, cover_id: int) -> Cover | None:
    row = await session.get(CoverRow, cover_id)
    return _cover(row) if row else None


async def placed(session: AsyncSession, *, cover_id: int, channel: str, ts: str) -> None:
    await session.execute(update(CoverRow).where(CoverRow.id == cover_id).values(channel=channel, ts=ts))


async def open_ones(
    session: AsyncSession, *, now: datetime, rotation_id: int | None = None, asker: str | None = None
) -> list[Cover]:
    query = select(CoverRow).where(CoverRow.status == OPEN, CoverRow.ends_at > now)
    if rotation_id is not None:
        query = query.where(CoverRow.rotation_id == rotation_id)
    if asker is not None:
        query = query.where(CoverRow.asker == asker)
    return [_cover(r) for r in await session.scalars(query.order_by(CoverRow.starts_at))]


async def take(
    session: AsyncSession, *, cover_id: int, taker: str, start: datetime, now: datetime
) -> bool:
    """Open and not yet over → taken by `taker`, with the override, in one transaction."""
    result = await session.execute(
        update(CoverRow)
        .where(CoverRow.id == cover_id, CoverRow.status == OPEN, CoverRow.ends_at > now)
        .values(status=TAKEN, taken_by=taker)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    row = await session.get(CoverRow, cover_id)
    assert row is not None
    session.add(
        OverrideRow(
            rotation_id=row.rotation_id,
            member=taker,
            starts_at=start,
            ends_at=row.ends_at,
            created_by=taker,
            created_at=now,
        )
    )
    return True


async def close(session: AsyncSession, *, cover_id: int, status: str) -> bool:
    """Open → cancelled or expired; False when it was no longer open."""
    result = await session.execute(
        update(CoverRow).where(CoverRow.id == cover_id, CoverRow.status == OPEN).values(status=status)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def past(session: AsyncSession, *, now: datetime) -> list[Cover]:
    """Open requests whose time has passed (the sweep closes them)."""
    rows = await session.scalars(
        select(CoverRow).where(CoverRow.status == OPEN, CoverRow.ends_at <= now)
    )
    return [_cover(r) for r in rows]
