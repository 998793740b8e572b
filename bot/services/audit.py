"""Every change made through the bot is recorded here: who, when, which line, before/after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import current_request_id
from bot.services.actor import Actor
from bot.store import Database
from bot.store import audit as audit_store
from bot.store.audit import AuditRecord


async def record(
    session: AsyncSession,
    *,
    actor: str,
    subject: str,
    line: str,
    action: str,
    before: Any,
    after: Any,
    now: datetime,
) -> None:
    """Append in the caller's transaction, so the change and its audit row land together."""
    await audit_store.append(
        session,
        record=AuditRecord(
            at=now,
            actor=actor,
            subject=subject,
            line=line,
            action=action,
            before=before,
            after=after,
            request_id=current_request_id(),
        ),
    )


async def recent(
    database: Database, actor: Actor, *, slack_user_id: str | None, limit: int
) -> list[AuditRecord]:
    """The newest rows (of one user's lines, when given), for admins only."""
    actor.require_admin()
    async with database.session() as session:
        return await audit_store.recent(session, limit=limit, slack_user_id=slack_user_id)
