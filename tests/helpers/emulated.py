"""The seeded RingCentral company and what tests read back from the emulators."""

from __future__ import annotations

from bot.devkit.voipnow import VoipNowEmulator
from tests.helpers.harness import Harness, user_id
from tests.helpers.providers import emulators

ALICE_EXT = 2263488004  # Alice's RingCentral extension
HOTLINE_EXT = 2263496004  # "Support Hotline", extension 200
SESSION = "s-a7f3c1e2d4b5"  # the seeded call on Alice's line


def custom_rules(bot: Harness, ext: int = ALICE_EXT) -> list[dict[str, object]]:
    return [r for r in bot.rc.extensions[ext].rules_v1.values() if r["type"] == "Custom"]


def rc_moves(bot: Harness) -> list[dict[str, object]]:
    return bot.rc.sessions[SESSION].moves


def vn(bot: Harness) -> VoipNowEmulator:
    app = emulators(bot.runtime).voipnow
    assert app is not None
    return app


async def link_dave(bot: Harness) -> None:
    reply = await bot.command("admin", "/switchboard", f"link <@{user_id('dave')}> voipnow:12/0003*210")
    assert "VoipNow extension `0003*210`" in reply.text
