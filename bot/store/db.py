"""The async engine, sessions, and the two kinds of transaction the bot needs."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def async_url(url: str) -> str:
    """Map docs/contract.md's DATABASE_URL forms to their async drivers."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


class Database:
    """One engine per process. `session()` for ordinary work, `locked()` for a row lock."""

    def __init__(self, url: str) -> None:
        # Called with what transactions queued in `session.info["after_commit"]`, once they
        # committed (notices about a change are sent only when the change is stored).
        self.after_commit: Callable[[list[Any]], Awaitable[None]] | None = None
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        # hide_parameters: SQL errors and logs never carry the values (tokens among them).
        options: dict[str, Any] = {"pool_pre_ping": not self.is_sqlite, "hide_parameters": True}
        self.engine: AsyncEngine = create_async_engine(self.url, **options)
        if self.is_sqlite:
            _take_over_sqlite_transactions(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A transaction committed on success and rolled back on error."""
        async with self._sessions() as session:
            async with session.begin():
                yield session
            await self._committed(session)

    @asynccontextmanager
    async def locked(self, key: str) -> AsyncIterator[AsyncSession]:
        """A transaction holding an exclusive lock named `key` until it ends, across instances.

        On SQLite this is `BEGIN IMMEDIATE` (the whole file). On PostgreSQL it is a
        transaction-scoped advisory lock, which also covers a row that does not exist yet
        (a `FOR UPDATE` on a missing row would lock nothing).
        """
        if not self.is_sqlite:
            async with self.session() as session:
                await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_id(key)})
                yield session
            return
        async with self.engine.connect() as conn:
            conn = await conn.execution_options(sqlite_begin="IMMEDIATE")
            async with AsyncSession(bind=conn, expire_on_commit=False) as session:
                async with session.begin():
                    yield session
                await self._committed(session)

    async def _committed(self, session: AsyncSession) -> None:
        queued = session.info.pop("after_commit", None)
        if queued and self.after_commit is not None:
            await self.after_commit(queued)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _lock_id(key: str) -> int:
    """A stable signed 64-bit id for an advisory lock name."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _take_over_sqlite_transactions(engine: AsyncEngine) -> None:
    """pysqlite's own BEGIN handling can't do BEGIN IMMEDIATE; emit BEGIN ourselves."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")
