"""Shared fixtures: a database per test on SQLite and PostgreSQL, and a running bot."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest

from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import build_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.harness import Harness, start_harness
from tests.helpers.network import Network
from tests.helpers.throwaway_postgres import ThrowawayPostgres

POSTGRES_DSN = os.environ.get("SWITCHBOARD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
TESTS = Path(__file__).resolve().parent
REFERENCE = TESTS / "reference"  # public descriptions the tests read, with licences (PROVENANCE.md)
# Modules whose tests start processes (`switchboard serve`, the CLI, an install): marked slow.
SPAWNING = {
    "tests/e2e/test_serve_process.py",
    "tests/e2e/test_serve_workers.py",
    "tests/e2e/test_serve_front.py",
    "tests/e2e/test_emulator_cli.py",
    "tests/e2e/test_install.py",
    "tests/e2e/test_startup.py",
    "tests/e2e/test_misconfiguration.py",
    "tests/e2e/test_check.py",
    "tests/e2e/test_demo.py",
    "tests/e2e/test_shell.py",
    "tests/integration/test_reseal.py",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (`-m "not slow"` leaves them out, as `make test-fast` does): those
    starting processes, those over real sockets (marked `served`), and those on PostgreSQL
    (maybe a throwaway server, `postgres_dsn`)."""
    for item in items:
        where = item.path.relative_to(TESTS.parent).as_posix()
        callspec = getattr(item, "callspec", None)
        # by the fixture, or by a parameter of any fixture (`database_url`, `two_empty_urls`)
        on_postgres = "postgres_dsn" in getattr(item, "fixturenames", ()) or (
            callspec is not None and "postgres" in callspec.params.values()
        )
        if where in SPAWNING or on_postgres or item.get_closest_marker("served"):
            item.add_marker(pytest.mark.slow)


def _postgres_reachable(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The PostgreSQL the tests use: SWITCHBOARD_TEST_POSTGRES when it answers, else a
    throwaway server for this session. SWITCHBOARD_REQUIRE_POSTGRES=1 (CI) fails instead."""
    if _postgres_reachable(POSTGRES_DSN):
        yield POSTGRES_DSN
        return
    assert not os.environ.get("SWITCHBOARD_REQUIRE_POSTGRES"), (
        f"PostgreSQL must be reachable at {POSTGRES_DSN} (SWITCHBOARD_REQUIRE_POSTGRES is set)"
    )
    server = ThrowawayPostgres()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'switchboard.db'}"


@pytest.fixture
def postgres_url(postgres_dsn: str) -> object:
    schema = f"sb_{secrets.token_hex(5)}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    base = postgres_dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}?options=-csearch_path%3D{schema}&application_name={schema}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        # A test that failed mid-way may leave a connection behind; it must not block cleanup.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (schema,),
        )
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Run the test on both stores."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
async def bot(sqlite_url: str, request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """The bot on SQLite, reached in-process; over a loopback socket if the test is `served`."""
    served = request.node.get_closest_marker("served") is not None
    harness = await start_harness(sqlite_url, served=served)
    try:
        yield harness
    finally:
        await harness.close()


@pytest.fixture
def reference() -> Path:
    """tests/reference: the OpenAPI description and Slack's manifest schema, in the repository."""
    return REFERENCE


@pytest.fixture
def shared() -> Path:
    """The directory holding `reference/` (older tests spell `shared / "reference" / name`)."""
    return TESTS


@pytest.fixture
async def platform() -> AsyncIterator[tuple[RingCentralEmulator, str]]:
    """A RingCentral emulator served on loopback, outliving any one bot instance."""
    app = build_emulator()
    app.pusher.transport = Network()  # its pushes reach bots in-process as well as served ones
    server = LoopbackServer(app)
    url = await server.start()
    yield app, url
    await server.stop()
