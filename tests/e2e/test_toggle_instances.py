"""Timed reverts across restarts and instances, against one RingCentral 'platform' on loopback."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

from bot.providers.ringcentral.emulator.app import RingCentralEmulator
from bot.scheduler import Scheduler
from tests.harness import Harness, start_configured

ALICE = 2263488004


async def instance(database_url: str, url: str, client_id: str) -> Harness:
    return await start_configured(database_url, url, client_id=client_id)


def custom_rules(app: RingCentralEmulator) -> list[dict[str, object]]:
    return [r for r in app.emulator_state.extensions[ALICE].rules_v1.values() if r["type"] == "Custom"]


async def test_revert_survives_a_restart(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    client_id = "client-" + secrets.token_hex(3)
    first = await instance(sqlite_url, url, client_id)
    try:
        reply = await first.command("alice", "/forward", "to mobile for 30m")
        assert "All calls now go to" in reply.text
    finally:
        await first.close()  # the process stops before the revert is due
    assert len(custom_rules(app)) == 1
    second = await instance(sqlite_url, url, client_id)
    try:
        handled = await Scheduler(second.runtime).tick(datetime.now(UTC) + timedelta(minutes=31))
        assert handled == 1
        assert custom_rules(app) == []
        assert app.emulator_state.jwt_logins == 1  # the token pair in the store was reused
    finally:
        await second.close()


async def test_two_instances_race_one_revert(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    client_id = "client-" + secrets.token_hex(3)
    first = await instance(postgres_url, url, client_id)
    second = await instance(postgres_url, url, client_id)
    try:
        await first.command("alice", "/forward", "to mobile for 30m")
        later = datetime.now(UTC) + timedelta(minutes=31)
        handled = await asyncio.gather(
            Scheduler(first.runtime).tick(later),
            Scheduler(second.runtime).tick(later),
            Scheduler(first.runtime).tick(later),
            Scheduler(second.runtime).tick(later),
        )
        assert sum(handled) == 1
        assert app.faults.count("DELETE", "/answering-rule") == 1
        assert custom_rules(app) == []
        dms = first.slack.of("chat.postMessage") + second.slack.of("chat.postMessage")
        assert len(dms) == 1
    finally:
        await first.close()
        await second.close()
