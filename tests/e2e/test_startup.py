"""Start-up: a missing or malformed setting stops it with one line; secrets never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store.migrate import head
from tests.helpers.canaries import CANARIES
from tests.helpers.cli import run


def assert_no_canary(text: str) -> None:
    for value in CANARIES.values():
        assert value not in text


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("SLACK_BOT_TOKEN", {"SLACK_SIGNING_SECRET": CANARIES["SLACK_SIGNING_SECRET"]}),
        ("SLACK_SIGNING_SECRET", {"SLACK_BOT_TOKEN": CANARIES["SLACK_BOT_TOKEN"]}),
    ],
)
def test_serve_names_the_missing_variable(tmp_path: Path, missing: str, env: dict[str, str]) -> None:
    result = run("serve", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert missing in lines[0]
    assert "Traceback" not in result.stderr
    assert_no_canary(result.stdout + result.stderr)


def test_socket_needs_the_app_token(tmp_path: Path) -> None:
    result = run("socket", env={"SLACK_BOT_TOKEN": CANARIES["SLACK_BOT_TOKEN"]}, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "eighty"),
        ("LOG_FORMAT", "xml"),
        ("SWITCHBOARD_TICK_SECONDS", "-3"),
        ("SWITCHBOARD_PROVIDERS", "ringcentral,fax"),
        ("SWITCHBOARD_DEFAULT_REGION", "ZZ"),
        ("DATABASE_URL", "mysql://x"),
        ("SLACK_API_URL", "slack.com/api"),
    ],
)
def test_malformed_values_name_the_variable_not_the_value(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = run("check", env={**CANARIES, variable: value}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
    assert_no_canary(result.stdout + result.stderr)


def test_the_sign_in_app_needs_both_its_id_and_its_secret(tmp_path: Path) -> None:
    result = run("check", env={"RINGCENTRAL_SIGNIN_CLIENT_ID": "signin-app"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "RINGCENTRAL_SIGNIN_CLIENT_SECRET is required with RINGCENTRAL_SIGNIN_CLIENT_ID" in lines[0]


def test_the_sign_in_app_must_be_a_second_ringcentral_app(tmp_path: Path) -> None:
    """RingCentral gives an app one auth flow: the JWT app can't also run personal sign-ins
    (its first grant fixes it; the other is refused), so the same id twice stops start-up."""
    ringcentral = ("RINGCENTRAL_CLIENT_SECRET", "RINGCENTRAL_JWT", "RINGCENTRAL_SIGNIN_CLIENT_SECRET")
    env = {
        **{name: CANARIES[name] for name in ringcentral},
        "RINGCENTRAL_CLIENT_ID": "app-5e1c",
        "RINGCENTRAL_SIGNIN_CLIENT_ID": "app-5e1c",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    result = run("check", env=env, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "RINGCENTRAL_SIGNIN_CLIENT_ID" in lines[0]
    assert "second RingCentral app" in lines[0]
    assert_no_canary(result.stdout + result.stderr)


def test_provider_credentials_are_required_when_named(tmp_path: Path) -> None:
    result = run(
        "check", env={"SWITCHBOARD_PROVIDERS": "ringcentral", "RINGCENTRAL_CLIENT_ID": "x"}, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "RINGCENTRAL_CLIENT_SECRET" in result.stderr


def test_manifest_and_db_need_no_slack_settings(tmp_path: Path) -> None:
    assert run("manifest", cwd=tmp_path).returncode == 0
    result = run("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"revision {head()}" in result.stdout  # the newest migration, whichever it is


def test_an_unusable_database_is_one_line_in_every_command(tmp_path: Path) -> None:
    """Issue 19: no traceback for a database that can't be opened, reached or written."""
    env = {
        "DATABASE_URL": "sqlite:////nonexistent/folder/switchboard.db",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
    }
    for command in (["db", "upgrade"], ["shell"], ["serve", "--port", "0"]):
        result = run(*command, stdin="", env=env, cwd=tmp_path)
        out = (result.stdout + result.stderr).strip()
        assert result.returncode == 1, command
        assert "Traceback" not in out, command
        assert out.splitlines()[-1].startswith("switchboard: the database (sqlite:"), out
        assert len(out.splitlines()) <= 3, out
    secret = {"DATABASE_URL": "postgresql+psycopg://postgres:sekret@127.0.0.1:1/x"}
    refused = run("db", "upgrade", env=secret, cwd=tmp_path)
    assert "sekret" not in refused.stdout + refused.stderr
    assert "can't be used: connection failed" in refused.stderr
