"""Toggle rows: the active one of a line, claiming due reverts once across instances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.db import Database
from bot.store.models import Toggle, VirtualNumberState

LEASE = timedelta(seconds=120)
ACTIVE = "active"


@dataclass(frozen=True)
class ToggleRecord:
    id: int
    slack_user_id: str
    line: str
    model: str
    kind: str
    target: str
    provider_object: str
    snapshot: Any
    written: Any
    status: str
    ends_at: datetime | None
    attempts: int
    created_at: datetime


def _record(row: Toggle) -> ToggleRecord:
    return ToggleRecord(
        id=row.id,
        slack_user_id=row.slack_user_id,
        line=row.line,
        model=row.model,
        kind=row.kind,
        target=row.target,
        provider_object=row.provider_object,
        snapshot=row.snapshot,
        written=row.written,
        status=row.status,
        ends_at=row.ends_at,
        attempts=row.attempts,
        created_at=row.created_at,
    )


async def active_for(session: AsyncSession, *, line: str) -> ToggleRecord | None:
    row = await session.scalar(
        select(Toggle).where(Toggle.line == line, Toggle.status == ACTIVE).order_by(Toggle.id.desc())
    )
    return _record(row) if row else None


async def get(session: AsyncSession, *, toggle_id: int) -> ToggleRecord | None:
    row = await session.get(Toggle, toggle_id)
    return _record(row) if row else None


async def add(session: AsyncSession, *, fields: dict[str, Any], now: datetime) -> int:
    row = Toggle(status=ACTIVE, attempts=0, created_at=now, **fields)
    session.add(row)
    await session.flush()
    return int(row.id)


async def close(session: AsyncSession, *, toggle_id: int, status: str, now: datetime) -> None:
    row = await session.get(Toggle, toggle_id)
    if row is not None:
        row.status, row.closed_at, row.lease_until = status, now, None


async def claim_due(database: Database, *, now: datetime, limit: int = 20) -> list[ToggleRecord]:
    """Active toggles whose end has passed, leased to this instance (skip rows others hold)."""
    async with database.locked("toggles:due") as session:
        query = (
            select(Toggle)
            .where(Toggle.status == ACTIVE, Toggle.ends_at.is_not(None), Toggle.ends_at <= now)
            .where((Toggle.lease_until.is_(None)) | (Toggle.lease_until < now))
            .order_by(Toggle.ends_at)
            .limit(limit)
        )
        if not database.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        rows = list(await session.scalars(query))
        for row in rows:
            row.lease_until = now + LEASE
            row.attempts += 1
        return [_record(r) for r in rows]


async def release_lease(session: AsyncSession, *, toggle_id: int, retry_at: datetime) -> None:
    row = await session.get(Toggle, toggle_id)
    if row is not None:
        row.lease_until = retry_at


async def last_set(session: AsyncSession, *, number: str) -> VirtualNumberState | None:
    return await session.get(VirtualNumberState, number)


async def remember_set(
    session: AsyncSession, *, number: str, type: int, param: str, by: str, now: datetime
) -> None:
    row = await session.get(VirtualNumberState, number)
    if row is None:
        session.add(VirtualNumberState(number=number, type=type, param=param, set_by=by, set_at=now))
        return
    row.type, row.param, row.set_by, row.set_at = type, param, by, now
