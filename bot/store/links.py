"""Slack user ↔ provider line links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Link, Unlinked


@dataclass(frozen=True, slots=True)
class LinkRecord:
    slack_user_id: str
    provider: str
    line_id: str
    extension_number: str
    display_name: str
    source: str

    @property
    def ref(self) -> str:
        """`provider:line_id`, how audit rows, toggles and rotations name a line."""
        return f"{self.provider}:{self.line_id}"

    @property
    def is_admin_link(self) -> bool:
        return self.source == "admin"


def _record(row: Link) -> LinkRecord:
    return LinkRecord(
        slack_user_id=row.slack_user_id,
        provider=row.provider,
        line_id=row.line_id,
        extension_number=row.extension_number,
        display_name=row.display_name,
        source=row.source,
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
