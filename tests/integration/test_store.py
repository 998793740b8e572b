"""The store on SQLite and PostgreSQL: migrations, links, idempotency, tokens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from bot.domain.lines import ProviderName
from bot.store import Database, idempotency, migrate
from bot.store import links as link_store
from bot.store import tokens as token_store
from bot.store.links import LinkRecord
from bot.store.migrate import current_revision, upgrade
from bot.store.tokens import TokenPair

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def migrated(url: str) -> Database:
    database = Database(url)
    await upgrade(database)
    return database


async def test_migrations_reach_head_and_are_idempotent(database_url: str) -> None:
    database = await migrated(database_url)
    try:
        await upgrade(database)
        assert await current_revision(database) == "0008"
        async with database.session() as session:
            count = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar()
        assert count == 0
    finally:
        await database.dispose()


async def test_links_one_per_provider_admin_first_and_unlink_blocks(database_url: str) -> None:
    database = await migrated(database_url)
    email = LinkRecord("U1", ProviderName.RINGCENTRAL, "2263488004", "102", "Alice", "email")
    admin = LinkRecord("U1", ProviderName.VOIPNOW, "12/0003*210", "0003*210", "VoipNow", "admin")
    try:
        async with database.session() as session:
            await link_store.save_link(session, link=email, now=NOW)
            await link_store.save_link(session, link=admin, now=NOW)
            await link_store.save_link(session, link=email, now=NOW)  # replaces, not duplicates
        async with database.session() as session:
            found = await link_store.links_of(session, slack_user_id="U1")
        assert [link.provider for link in found] == ["voipnow", "ringcentral"]
        async with database.session() as session:
            assert await link_store.remove_links(session, slack_user_id="U1", now=NOW) == 2
        async with database.session() as session:
            assert await link_store.is_unlinked(session, slack_user_id="U1")
            await link_store.save_link(session, link=admin, now=NOW)
        async with database.session() as session:
            assert not await link_store.is_unlinked(session, slack_user_id="U1")
    finally:
        await database.dispose()


async def test_idempotency_key_is_claimed_once_under_concurrency(database_url: str) -> None:
    database = await migrated(database_url)
    try:
        claims = await asyncio.gather(
            *(idempotency.claim(database, key="trigger-1", action="add", now=NOW) for _ in range(10))
        )
        assert claims.count(True) == 1
        assert await idempotency.is_claimed(database, key="trigger-1")
        await idempotency.forget_older_than(database, cutoff=NOW + timedelta(seconds=1))
        assert not await idempotency.is_claimed(database, key="trigger-1")
    finally:
        await database.dispose()


async def test_token_row_round_trips_with_aware_datetimes(database_url: str) -> None:
    database = await migrated(database_url)
    pair = TokenPair("a" * 40, "r" * 40, NOW + timedelta(hours=1), NOW + timedelta(days=7), "2263487004")
    try:
        async with database.locked("rc") as session:
            assert await token_store.read(session, account="rc", for_update=True) is None
            await token_store.write(session, account="rc", pair=pair, now=NOW)
        async with database.locked("rc") as session:
            assert await token_store.read(session, account="rc", for_update=True) == pair
    finally:
        await database.dispose()


async def test_locked_sections_do_not_interleave(database_url: str) -> None:
    """Two writers of the token row run one after the other (row lock / BEGIN IMMEDIATE)."""
    database = await migrated(database_url)
    events: list[str] = []
    pair = TokenPair("a" * 40, "", NOW, None, "")
    try:
        async with database.locked("rc") as session:
            await token_store.write(session, account="rc", pair=pair, now=NOW)

        async def writer(name: str) -> None:
            async with database.locked("rc") as session:
                await token_store.read(session, account="rc", for_update=True)
                events.append(f"{name}:in")
                await asyncio.sleep(0.1)
                events.append(f"{name}:out")
                await token_store.write(session, account="rc", pair=pair, now=NOW)

        await asyncio.gather(writer("a"), writer("b"))
        assert len(events) == 4
        assert events in (["a:in", "a:out", "b:in", "b:out"], ["b:in", "b:out", "a:in", "a:out"])
    finally:
        await database.dispose()


def test_head_is_known_without_alembic_and_matches_it() -> None:
    """`migrate.head()` reads the files' names; Alembic's own head must be the same, and
    every migration file must be named after its revision (the rule head() relies on)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate._config())
    assert migrate.head() == script.get_current_head()
    for revision in script.walk_revisions():
        assert Path(revision.path).name.startswith(f"{revision.revision}_"), revision.path
