"""`switchboard check`: one line per check, exit 1 on any failure."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.devkit.shell.standin import SlackStandIn
from tests.helpers.cli import run


async def check(tmp_path: Path, **env: str) -> tuple[int, list[str]]:
    base = {"DATABASE_URL": f"sqlite:///{tmp_path}/check.db", "SWITCHBOARD_PROVIDERS": "emulator"}
    result = await asyncio.to_thread(run, "check", env={**base, **env}, cwd=tmp_path)
    return result.returncode, result.stdout.strip().splitlines()


async def test_all_checks_pass_against_slack_and_the_emulator(tmp_path: Path) -> None:
    slack = SlackStandIn()
    await slack.start()
    try:
        code, lines = await check(tmp_path, SLACK_API_URL=slack.api_url, SLACK_BOT_TOKEN="xoxb-check")
    finally:
        await slack.stop()
    assert code == 0, lines
    assert [line.split()[0] for line in lines] == ["ok"] * 6
    assert any("slack auth.test" in line for line in lines)
    assert any("RingCentral" in line for line in lines)
    assert any("VoipNow" in line for line in lines)


async def test_unreachable_slack_fails_with_exit_1(tmp_path: Path) -> None:
    code, lines = await check(
        tmp_path, SLACK_API_URL="http://127.0.0.1:9/api/", SLACK_BOT_TOKEN="xoxb-check"
    )
    assert code == 1
    assert any(line.startswith("FAIL  slack") for line in lines)


async def test_missing_token_fails(tmp_path: Path) -> None:
    code, lines = await check(tmp_path)
    assert code == 1
    assert "FAIL  slack: SLACK_BOT_TOKEN is not set" in lines
