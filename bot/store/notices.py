"""Notices for the admins that the store itself produced (e.g. by a migration)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.store.db import Database
from bot.store.models import AdminNotice


async def claim_unsent(database: Database, *, now: datetime) -> list[str]:
    """Texts not sent yet, marked sent in the same transaction (once across instances)."""
    async with database.locked("admin_notices") as session:
        rows = list(
            await session.scalars(
                select(AdminNotice).where(AdminNotice.sent_at.is_(None)).order_by(AdminNotice.id)
            )
        )
        for row in rows:
            row.sent_at = now
        return [row.text for row in rows]
