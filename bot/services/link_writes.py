"""Writing links with their audit rows: an admin's link, an email link, an own sign-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import audit
from bot.store import Database
from bot.store import links as link_store
from bot.store.links import LinkRecord


def snapshot(link: LinkRecord) -> dict[str, str]:
    """A link as audit rows show it before and after a change."""
    return {
        "provider": link.provider,
        "line_id": link.line_id,
        "extension": link.extension_number,
        "name": link.display_name,
        "source": link.source,
    }


async def save(
    database: Database,
    *,
    actor: str,
    link: LinkRecord,
    action: str,
    before: object,
    now: datetime,
    replace: bool = True,
) -> None:
    async with database.session() as session:
        await link_store.save_link(session, link=link, now=now, replace=replace)
        await audit.record(
            session,
            actor=actor,
            subject=link.slack_user_id,
            line=link.ref,
            action=action,
            before=before,
            after=snapshot(link),
            now=now,
        )


async def take_line(
    database: Database, *, actor: str, link: LinkRecord, holder: str, now: datetime
) -> None:
    """Unlink the line from `holder` (audited), before it is linked to `link`'s user."""
    async with database.session() as session:
        held = await link_store.links_of(session, slack_user_id=holder)
        await link_store.remove_line(session, provider=link.provider, line_id=link.line_id)
        await audit.record(
            session,
            actor=actor,
            subject=holder,
            line=link.ref,
            action="unlink.replaced",
            before=next((snapshot(x) for x in held if x.ref == link.ref), None),
            after={"moved_to": link.slack_user_id},
            now=now,
        )


async def record_unlinked(
    session: AsyncSession, *, actor: str, link: LinkRecord, action: str, now: datetime
) -> None:
    """Audit a link removed in the caller's transaction: before it, after nothing."""
    await audit.record(
        session,
        actor=actor,
        subject=link.slack_user_id,
        line=link.ref,
        action=action,
        before=snapshot(link),
        after=None,
        now=now,
    )
