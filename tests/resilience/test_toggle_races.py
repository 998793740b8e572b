"""docs/contract.md "Trust": several `/forward to` for one line at once leave exactly one forward,
and `/forward off` then restores the original exactly: on one instance and on two."""

from __future__ import annotations

import asyncio
import json

from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness
from tests.helpers.instances import platform_custom_rules, two_instances


def rules_of(app: RingCentralEmulator) -> str:
    return json.dumps(app.emulator_state.extensions[ALICE_EXT].rules_v1, sort_keys=True)


async def test_simultaneous_forwards_on_one_instance_leave_one(bot: Harness) -> None:
    app = bot._rc_app
    original = rules_of(app)
    bot.rc_faults.latency = 0.2  # wide enough for the requests to overlap at the provider
    replies = await asyncio.gather(
        bot.command("alice", "/forward", "to mobile"),
        bot.command("alice", "/forward", "to +1 650 555 0177"),
        bot.command("alice", "/forward", "to home for 2h"),
    )
    said = "\n".join(r.text for r in replies)  # concurrent replies share the stand-in's log
    assert said.count("All calls now go to") == 3, said
    assert len(platform_custom_rules(app)) == 1
    bot.rc_faults.latency = 0.0
    off = await bot.command("alice", "/forward", "off")
    assert "ring as usual again" in off.text
    assert rules_of(app) == original


async def test_simultaneous_forwards_on_two_instances_leave_one(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    original = rules_of(app)
    async with two_instances(postgres_url, url) as (first, second):
        app.faults.latency = 0.2
        await asyncio.gather(
            first.command("alice", "/forward", "to mobile"),
            second.command("alice", "/forward", "to +1 650 555 0177"),
            first.command("alice", "/forward", "to home"),
            second.command("alice", "/forward", "to mobile for 1h"),
        )
        app.faults.latency = 0.0
        assert len(platform_custom_rules(app)) == 1
        off = await second.command("alice", "/forward", "off")
        assert "ring as usual again" in off.text
        assert rules_of(app) == original
        again = await first.command("alice", "/forward", "off")
        assert "isn't on" in again.text
