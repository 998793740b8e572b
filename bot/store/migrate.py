"""Apply Alembic migrations from inside the running event loop."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from bot.store.db import Database

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_HINT = "run `switchboard db upgrade`"


class DatabaseBehind(Exception):
    """The database lacks this version's migrations; the message is one line saying what to run."""


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(database: Database, revision: str = "head") -> None:
    def run(connection: Connection) -> None:
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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


async def behind(database: Database) -> str | None:
    """One line when the database lacks this version's migrations, else None.

    A revision this version doesn't know was written by a newer one (a rolling upgrade
    migrates first): the older instances keep running on it.
    """
    current = await current_revision(database)
    script = _script()
    head = script.get_current_head()
    if current == head:
        return None
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        return None
    return (
        f"the database is behind on migrations (at {current or 'none'}, this version needs {head}): "
        f"{UPGRADE_HINT}"
    )


async def require_current(database: Database) -> None:
    """Stop start-up with one line when the database is behind (never a traceback later)."""
    problem = await behind(database)
    if problem is not None:
        raise DatabaseBehind(problem)
