"""Slack user ↔ provider line links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lines import ProviderName
from bot.domain.records import LinkRecord as LinkRecord  # re-exported: store callers keep it
from bot.store.models import DirectoryMiss, Link, Unlinked


def _record(row: Link) -> LinkRecord:
    return LinkRecord(
        slack_user_id=row.slack_user_id,
        provider=ProviderName(row.provider),
        line_id=row.line_id,
        extension_number=row.extension_number,
        display_name=row.display_name,
        source=row.source,
        email=row.email or "",
    )


async def links_of(session: AsyncSession, *, slack_user_id: str) -> list[LinkRecord]:
    """The user's links, admin-made ones first (they win where two lines could act)."""
    rows = await session.scalars(select(Link).where(Link.slack_user_id == slack_user_id))
    return sorted((_record(r) for r in rows), key=lambda link: not link.is_admin_link)


async def is_unlinked(session: AsyncSession, *, slack_user_id: str) -> bool:
    return await session.get(Unlinked, slack_user_id) is not None


async def save_link(
    session: AsyncSession, *, link: LinkRecord, now: datetime, replace: bool = True
) -> None:
    """Insert (or with `replace`, replace) the user's link at that provider.

    Without `replace`, a concurrent insert of the same link fails on the unique constraint,
    so two first requests of a new user link them (and audit it) once.
    """
    if replace:
        await session.execute(
            delete(Link).where(Link.slack_user_id == link.slack_user_id, Link.provider == link.provider)
        )
    session.add(
        Link(
            slack_user_id=link.slack_user_id,
            provider=link.provider,
            line_id=link.line_id,
            extension_number=link.extension_number,
            display_name=link.display_name,
            source=link.source,
            created_at=now,
            email=link.email,
            checked_at=now,
        )
    )
    if link.is_admin_link:
        await session.execute(delete(Unlinked).where(Unlinked.slack_user_id == link.slack_user_id))


async def remove_links(session: AsyncSession, *, slack_user_id: str, now: datetime) -> int:
    """Drop every link of the user and stop auto-linking them. Returns links removed."""
    result = await session.execute(delete(Link).where(Link.slack_user_id == slack_user_id))
    if not await is_unlinked(session, slack_user_id=slack_user_id):
        session.add(Unlinked(slack_user_id=slack_user_id, created_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def holder_of(session: AsyncSession, *, provider: str, line_id: str) -> str | None:
    """The Slack user a line is linked to, if any (a line belongs to at most one)."""
    return await session.scalar(
        select(Link.slack_user_id).where(Link.provider == provider, Link.line_id == line_id)
    )


async def remove_line(session: AsyncSession, *, provider: str, line_id: str) -> None:
    await session.execute(delete(Link).where(Link.provider == provider, Link.line_id == line_id))


async def remove_email_link(
    session: AsyncSession, *, slack_user_id: str, provider: str, line_id: str
) -> bool:
    """Drop one email link of the user (nothing when the line has since been linked otherwise)."""
    result = await session.execute(
        delete(Link).where(
            Link.slack_user_id == slack_user_id,
            Link.provider == provider,
            Link.line_id == line_id,
            Link.source == "email",
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def remove_email_links(session: AsyncSession, *, slack_user_id: str) -> list[LinkRecord]:
    """Drop the user's email links (admin links stay). Returns what was removed."""
    rows = list(
        await session.scalars(
            select(Link).where(Link.slack_user_id == slack_user_id, Link.source == "email")
        )
    )
    for row in rows:
        await session.delete(row)
    return [_record(r) for r in rows]


async def due_for_check(session: AsyncSession, *, before: datetime, limit: int) -> list[str]:
    """Users with an email link not checked against their Slack profile since `before`."""
    rows = await session.scalars(
        select(Link.slack_user_id)
        .where(Link.source == "email")
        .where(or_(Link.checked_at.is_(None), Link.checked_at < before))
        .order_by(Link.checked_at)
        .limit(limit)
    )
    return list(dict.fromkeys(rows))


async def mark_checked(session: AsyncSession, *, slack_user_id: str, now: datetime) -> None:
    await session.execute(update(Link).where(Link.slack_user_id == slack_user_id).values(checked_at=now))


async def missed_recently(
    session: AsyncSession, *, slack_user_id: str, email: str, since: datetime
) -> bool:
    """Was this exact email looked up for this user since `since` and matched nothing?"""
    row = await session.get(DirectoryMiss, slack_user_id)
    return row is not None and row.email == email.lower() and row.checked_at >= since


async def record_miss(session: AsyncSession, *, slack_user_id: str, email: str, now: datetime) -> None:
    row = await session.get(DirectoryMiss, slack_user_id)
    if row is None:
        session.add(DirectoryMiss(slack_user_id=slack_user_id, email=email.lower(), checked_at=now))
    else:
        row.email, row.checked_at = email.lower(), now


async def forget_miss(session: AsyncSession, *, slack_user_id: str) -> None:
    await session.execute(delete(DirectoryMiss).where(DirectoryMiss.slack_user_id == slack_user_id))


async def extension_numbers(session: AsyncSession, *, refs: set[str]) -> dict[str, str]:
    """`provider:line_id` → the extension number (or virtual number) of the linked lines."""
    wanted = {tuple(ref.split(":", 1)) for ref in refs if ":" in ref}
    if not wanted:
        return {}
    rows = await session.scalars(select(Link).where(Link.line_id.in_({line for _, line in wanted})))
    return {
        f"{r.provider}:{r.line_id}": r.extension_number
        for r in rows
        if (r.provider, r.line_id) in wanted
    }


async def line_with_number(session: AsyncSession, *, number: str) -> str | None:
    """The `provider:line_id` of the linked line with this extension (or virtual) number."""
    row = await session.scalar(select(Link).where(Link.extension_number == number))
    return f"{row.provider}:{row.line_id}" if row is not None else None
