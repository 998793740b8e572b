"""The audit log: who changed what, on which line, before and after."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import AuditEntry


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: datetime
    actor: str
    subject: str
    line: str
    action: str
    before: Any
    after: Any
    request_id: str


_FIELDS = [f.name for f in fields(AuditRecord)]


async def append(session: AsyncSession, *, record: AuditRecord) -> None:
    session.add(AuditEntry(**asdict(record)))


async def recent(
    session: AsyncSession, *, limit: int, slack_user_id: str | None = None
) -> list[AuditRecord]:
    """Newest first; with a user, entries they made or that touched their line."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if slack_user_id:
        query = query.where(or_(AuditEntry.actor == slack_user_id, AuditEntry.subject == slack_user_id))
    rows = await session.scalars(query)
    return [AuditRecord(**{name: getattr(row, name) for name in _FIELDS}) for row in rows]
