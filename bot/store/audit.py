"""The audit log: who changed what, on which line, before and after."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.records import AuditRecord as AuditRecord  # re-exported: store callers keep it
from bot.store.models import AuditEntry

_FIELDS = [f.name for f in fields(AuditRecord)]


async def append(session: AsyncSession, *, record: AuditRecord) -> None:
    session.add(AuditEntry(**asdict(record)))


def _filtered(query: Select[Any], slack_user_id: str | None, line: str | None) -> Select[Any]:
    if slack_user_id:
        query = query.where(or_(AuditEntry.actor == slack_user_id, AuditEntry.subject == slack_user_id))
    if line:
        query = query.where(AuditEntry.line == line)
    return query


async def recent(
    session: AsyncSession, *, limit: int, slack_user_id: str | None = None, line: str | None = None
) -> list[AuditRecord]:
    """Newest first; with a user, entries they made or that touched their line; with a
    line (`provider:line_id`), the entries on it."""
    query = _filtered(select(AuditEntry), slack_user_id, line).order_by(AuditEntry.id.desc())
    rows = await session.scalars(query.limit(limit))
    return [AuditRecord(**{name: getattr(row, name) for name in _FIELDS}) for row in rows]


async def count(
    session: AsyncSession, *, slack_user_id: str | None = None, line: str | None = None
) -> int:
    query = _filtered(select(func.count()).select_from(AuditEntry), slack_user_id, line)
    return int(await session.scalar(query) or 0)
