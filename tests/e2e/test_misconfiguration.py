"""Misconfiguration says so in one line (docs/contract.md "A stranger can clone, install and
operate it"): partly set provider credentials, a database behind on migrations, Slack
refusing our token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest

from bot.devkit.shell.standin import Fault
from bot.store import Database
from bot.store.migrate import upgrade
from tests.helpers.cli import run
from tests.helpers.harness import start_harness

SLACK = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "secret",
    "SLACK_APP_TOKEN": "xapp-test",
}


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        (
            {"RINGCENTRAL_CLIENT_ID": "app-7c1d", "RINGCENTRAL_CLIENT_SECRET": "sec-4f2a"},
            "RINGCENTRAL_JWT",
        ),
        ({"RINGCENTRAL_JWT": "jwt-9e3b"}, "RINGCENTRAL_CLIENT_ID"),
        ({"VOIPNOW_URL": "https://voip-5a1.example.com"}, "VOIPNOW_CLIENT_ID"),
        ({"SMSPARTNER_API_KEY": "key-2b8c"}, "SMSPARTNER_NUMBERS"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "check"])
def test_partial_credentials_stop_start_up_naming_the_missing_variable(
    tmp_path: Path, given: dict[str, str], missing: str, command: str
) -> None:
    result = run(
        command, env={**SLACK, **given, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, cwd=tmp_path
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert "emulator" not in result.stdout.lower()  # never a real Slack app against fake phones
    for value in given.values():
        assert value not in result.stderr


def test_the_emulator_is_chosen_only_when_asked_or_nothing_is_set(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path}/x.db"
    nothing = run("check", env={"DATABASE_URL": database}, cwd=tmp_path)
    assert "ok    settings (providers: emulator)" in nothing.stdout
    asked = run(
        "check",
        env={
            "DATABASE_URL": database,
            "SWITCHBOARD_PROVIDERS": "emulator",
            "RINGCENTRAL_CLIENT_ID": "x",
        },
        cwd=tmp_path,
    )
    assert "ok    settings (providers: emulator)" in asked.stdout


@pytest.fixture
def empty_postgres(postgres_url: str) -> str:
    """A PostgreSQL schema nobody ran `switchboard db upgrade` on."""
    return postgres_url


@pytest.mark.parametrize("command", ["serve", "socket", "shell"])
def test_a_database_behind_on_migrations_says_to_upgrade(empty_postgres: str, command: str) -> None:
    result = run(command, env={**SLACK, "DATABASE_URL": empty_postgres}, stdin="/switchboard whoami\n")
    out = (result.stdout + result.stderr).strip()
    assert result.returncode == 1, out
    assert "Traceback" not in out
    last = out.splitlines()[-1]
    assert last.startswith("switchboard: the database is behind on migrations (at none"), out
    assert last.endswith("run switchboard db upgrade")


async def test_check_names_the_upgrade_and_skips_the_providers(empty_postgres: str) -> None:
    database = Database(empty_postgres)
    try:
        await upgrade(database, "0001")
    finally:
        await database.dispose()
    result = await asyncio.to_thread(run, "check", env={**SLACK, "DATABASE_URL": empty_postgres})
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    database_line = next(line for line in lines if "database" in line)
    assert database_line.startswith("FAIL  database: the database is behind on migrations (at 0001")
    assert database_line.endswith("run switchboard db upgrade")
    assert "ProgrammingError" not in result.stdout + result.stderr
    assert any(line.startswith("skip  RingCentral") for line in lines)


async def test_readyz_names_the_database_behind_on_migrations(postgres_url: str) -> None:
    bot = await start_harness(postgres_url)
    try:
        schema = postgres_url.rsplit("application_name=", 1)[1]
        dsn = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await conn.execute(f"UPDATE {schema}.alembic_version SET version_num = '0001'")
        ready = await bot.http.get(f"{bot.url}/readyz")
        assert ready.status_code == 503
        failing = ready.json()["failing"]
        assert set(failing) == {"database"}
        assert failing["database"].endswith("run switchboard db upgrade")
    finally:
        await bot.close()


async def test_readyz_names_slack_while_auth_test_fails(sqlite_url: str) -> None:
    bot = await start_harness(sqlite_url)
    try:
        bot.slack.fail(Fault("auth.test", "invalid_auth", times=1))
        ready = await bot.http.get(f"{bot.url}/readyz")
        assert ready.status_code == 503
        assert set(ready.json()["failing"]) == {"slack"}
        assert "invalid_auth" in ready.json()["failing"]["slack"]
    finally:
        await bot.close()


@pytest.mark.parametrize("url", ["your-host", "http://bot.example.com", "https://", "bot.example.com/x"])
def test_manifest_refuses_a_url_slack_cannot_use(tmp_path: Path, url: str) -> None:
    result = run("manifest", "--url", url, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "https://" in lines[0]


@pytest.mark.parametrize("url", ["https://bot.example.com", "http://localhost:3000"])
def test_manifest_takes_https_or_loopback(tmp_path: Path, url: str) -> None:
    result = run("manifest", "--url", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{url}/slack/events" in result.stdout


def test_serve_and_db_explain_their_options(tmp_path: Path) -> None:
    serve = run("serve", "--help", cwd=tmp_path).stdout
    assert "address to listen on" in serve
    assert "port to listen on" in serve
    assert "/calendar/" in serve  # every path the proxy exposes (docs/deploy.md)
    db = " ".join(run("db", "--help", cwd=tmp_path).stdout.split())  # argparse wraps lines
    assert "apply the pending migrations" in db
    assert "seal stored tokens with the new key" in db
