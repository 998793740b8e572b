"""Every change made through the bot is recorded here: who, when, which line, before/after."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import current_request_id
from bot.domain.notices import Message, Verbatim, message
from bot.services.actor import Actor
from bot.services.told import told_about
from bot.store import Database
from bot.store import audit as audit_store
from bot.store import links as link_store
from bot.store import rotations as rotation_store
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
    """Append in the caller's transaction, so the change and its audit row land together.

    A change someone made on another person's line queues a notice to that person, sent
    once the transaction commits (docs/contract.md: "that user is told by DM who changed what").
    """
    told = told_about(actor=actor, subject=subject, line=line, action=action, after=after)
    if told is not None:
        session.info.setdefault("after_commit", []).append((subject, told))
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
    database: Database,
    actor: Actor,
    *,
    slack_user_id: str | None,
    limit: int,
    line: str | None = None,
) -> tuple[list[AuditRecord], int]:
    """The newest rows (of one user, of one line, when given) and how many there are in all,
    for admins only."""
    actor.require_admin()
    async with database.session() as session:
        rows = await audit_store.recent(session, limit=limit, slack_user_id=slack_user_id, line=line)
        total = await audit_store.count(session, slack_user_id=slack_user_id, line=line)
    return rows, total


async def line_names(database: Database, refs: set[str]) -> dict[str, Message]:
    """How each line is named to people: its extension or number, a hotline's label."""
    async with database.session() as session:
        names = await link_store.extension_numbers(session, refs=refs)
        for rotation in await rotation_store.all_rotations(session):
            names[rotation.hotline] = rotation.hotline_label
    return {ref: message("line ", Verbatim(name)) for ref, name in names.items() if ref in refs}


async def find_line(database: Database, typed: str) -> str | None:
    """The line an admin means by `102`, `smspartner:+33…` or a hotline's label."""
    if ":" in typed:
        return typed
    async with database.session() as session:
        found = await link_store.line_with_number(session, number=typed)
        if found is None:
            hotline = next(
                (r for r in await rotation_store.all_rotations(session) if r.hotline_label == typed),
                None,
            )
            found = hotline.hotline if hotline else None
    return found
