"""The store on SQLite and PostgreSQL: migrations, links, idempotency, tokens."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, inspect, text

from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.voipnow.declaration import VOIPNOW
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
    database = Database(database_url)
    try:
        await upgrade(database, direct=False)  # every migration, not the direct creation
        await upgrade(database)
        assert await current_revision(database) == "0009"
        async with database.session() as session:
            count = (await session.execute(text("SELECT count(*) FROM audit_log"))).scalar()
        assert count == 0
    finally:
        await database.dispose()


async def test_links_one_per_provider_admin_first_and_unlink_blocks(database_url: str) -> None:
    database = await migrated(database_url)
    email = LinkRecord("U1", RINGCENTRAL, "2263488004", "102", "Alice", "email")
    admin = LinkRecord("U1", VOIPNOW, "12/0003*210", "0003*210", "VoipNow", "admin")
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


def _options(index: Any) -> str:
    """An index's dialect options as text (a partial index's WHERE is a TextClause)."""
    return repr(sorted((k, str(v)) for k, v in (index.get("dialect_options") or {}).items()))


def _schema(connection: Connection) -> dict[str, object]:
    """Everything the inspector sees of each table: columns (type, nullability, default),
    primary key, indexes (with a partial index's WHERE), unique and check constraints, foreign keys."""
    found = inspect(connection)
    schema: dict[str, object] = {}
    for table in sorted(found.get_table_names()):
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                for c in found.get_columns(table)
            ],
            "pk": found.get_pk_constraint(table),
            "indexes": sorted(
                (i["name"] or "", tuple(i["column_names"]), i["unique"], _options(i))
                for i in found.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"] or "", tuple(u["column_names"])) for u in found.get_unique_constraints(table)
            ),
            "checks": sorted(repr(c) for c in found.get_check_constraints(table)),
            "foreign": sorted(repr(f) for f in found.get_foreign_keys(table)),
        }
    schema["alembic_version rows"] = connection.execute(
        text("SELECT version_num FROM alembic_version")
    ).all()
    return schema


@pytest.fixture(params=["sqlite", "postgres"])
def two_empty_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: for SQLite two files, for PostgreSQL two schemas."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
        return
    dsn = str(request.getfixturevalue("postgres_dsn"))
    names = [f"sb_{secrets.token_hex(5)}" for _ in range(2)]
    base = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE SCHEMA {name}")
    try:
        a, b = (f"{base}?options=-csearch_path%3D{name}" for name in names)
        yield a, b
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            for name in names:
                conn.execute(f"DROP SCHEMA {name} CASCADE")


async def test_an_empty_database_made_at_head_equals_the_migrations(
    two_empty_urls: tuple[str, str],
) -> None:
    """A first start creates the tables from the models and stamps head (no Alembic, no eight
    migrations replayed): the schema must be the one the migrations build, on both stores."""
    by_migrations, direct = (Database(url) for url in two_empty_urls)
    try:
        await upgrade(by_migrations, direct=False)
        await upgrade(direct)
        schemas = []
        for database in (by_migrations, direct):
            async with database.engine.connect() as conn:
                schemas.append(await conn.run_sync(_schema))
        assert schemas[0] == schemas[1]
        assert await current_revision(direct) == migrate.head()
        await upgrade(direct)  # at head: nothing to do
    finally:
        await by_migrations.dispose()
        await direct.dispose()


@pytest.mark.slow  # starts a process (a fresh interpreter is the only way to see its imports)
def test_a_first_start_on_an_empty_database_loads_no_alembic(tmp_path: Path) -> None:
    """The time a first start spent loading Alembic and replaying the migrations is gone."""
    script = (
        "import asyncio, sys\n"
        "from bot.store import Database, migrate\n"
        f"db = Database('sqlite:///{tmp_path / 'new.db'}')\n"
        "asyncio.run(migrate.upgrade(db))\n"
        "asyncio.run(db.dispose())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
