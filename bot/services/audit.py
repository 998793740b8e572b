"""Every change made through the bot is recorded here: who, when, which line, before/after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import current_request_id
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
