"""Apply Alembic migrations from inside the running event loop.

A start on a database already at this version's head reads `alembic_version` with one plain
query and never imports Alembic (a third of `switchboard serve`'s start-up otherwise). An empty
database is created at head directly from the models and stamped, as Alembic would stamp it
(tests/integration/test_store.py holds the result equal to the migrations' on SQLite and
PostgreSQL): a first start skips loading Alembic and replaying every migration.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from bot.store.db import Database

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import MetaData

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_HINT = "run switchboard db upgrade"  # said on a terminal and in /readyz: plain words


class DatabaseBehind(Exception):
    """The database lacks this version's migrations; the message is one line saying what to run."""


@cache
def head() -> str:
    """This version's newest revision: each migration file is named after its revision
    ("0008_oncall_escalation.py" is "0008", a test holds every file to it), so the head is
    known without loading Alembic."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


async def recorded_revision(database: Database) -> str | None:
    """The revision `alembic_version` records, read with plain SQL; None when there is none
    (a new database) or it can't be read (Alembic's own path then says why)."""
    try:
        async with database.engine.connect() as conn:
            found = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return found.scalar_one_or_none()
    except DBAPIError:
        return None


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _metadata() -> MetaData:
    """Every table of this version (each module that declares some, imported)."""
    from bot.store import calendars, covers, live_models, time_off  # noqa: F401
    from bot.store.models import Base

    return Base.metadata


def _create_at_head(connection: Connection) -> bool:
    """On a database with none of our tables and no `alembic_version`: create the tables at
    head and stamp it (the table Alembic makes, holding this version's head). False, with
    nothing done, on any other database."""
    metadata = _metadata()
    present = set(inspect(connection).get_table_names())
    if present & ({"alembic_version"} | set(metadata.tables)):
        return False
    metadata.create_all(connection)
    # Alembic's own version table (alembic/runtime/migration.py, `_version` table):
    # version_num VARCHAR(32) NOT NULL with the primary key alembic_version_pkc
    connection.execute(
        text(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
            "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
        )
    )
    connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head()})
    return True


async def upgrade(database: Database, revision: str = "head", *, direct: bool = True) -> None:
    """Bring the database to `revision`; an empty one straight to head (`direct`, see above)."""
    recorded = await recorded_revision(database) if revision == "head" else None
    if revision == "head" and recorded == head():
        return  # nothing to do: Alembic stays unloaded
    if revision == "head" and direct and recorded is None:
        async with database.engine.begin() as conn:
            if await conn.run_sync(_create_at_head):
                return

    def run(connection: Connection) -> None:
        from alembic import command

        command.upgrade(_config(connection), revision)

    async with database.engine.begin() as conn:
        await conn.run_sync(run)


async def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with database.engine.connect() as conn:
        return await conn.run_sync(read)


@cache
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


async def behind(database: Database) -> str | None:
    """One line when the database lacks this version's migrations, else None.

    A revision this version doesn't know was written by a newer one (a rolling upgrade
    migrates first): the older instances keep running on it.
    """
    if await recorded_revision(database) == head():
        return None
    current = await current_revision(database)
    script = _script()
    latest = script.get_current_head()
    if current == latest:
        return None
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        return None
    return (
        f"the database is behind on migrations (at {current or 'none'}, this version needs {latest}): "
        f"{UPGRADE_HINT}"
    )


async def require_current(database: Database) -> None:
    """Stop start-up with one line when the database is behind (never a traceback later)."""
    problem = await behind(database)
    if problem is not None:
        raise DatabaseBehind(problem)
