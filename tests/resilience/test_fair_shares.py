"""docs/contract.md "Fair shares and a hardened front": no single person starves the others.

Against the built-in emulator with RingCentral's real limits on (Light 50 a minute per
token): everyone who never connected their own login shares the administrator's token.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.harness import Harness, start_harness


@pytest.fixture
async def limited(sqlite_url: str) -> AsyncIterator[Harness]:
    harness = await start_harness(
        sqlite_url, switchboard_rate_budget=True, switchboard_emulator_rate_limits=True
    )
    try:
        yield harness
    finally:
        await harness.close()


async def test_one_person_cannot_use_the_whole_window_of_the_admins_token(limited: Harness) -> None:
    bot = limited
    told_to_wait = 0
    for _ in range(48):  # quick, one after the other: each is answered before the next
        reply = await bot.command("bob", "/forward", "list")
        told = [t for t in reply.texts() if "try again in" in t]
        told_to_wait += bool(told)
        assert len(told) <= 1
    for who in ("carol", "admin", "alice", "carol", "admin", "alice"):
        reply = await bot.command(who, "/forward", "list")
        assert not any("try again" in t for t in reply.texts()), (who, reply.texts())
        assert any("Your forwarding numbers" in t for t in reply.texts()), (who, reply.texts())
    assert told_to_wait == 48 - 10  # bob's share: a fifth of Light's 50 a minute
    assert bot._rc_app.buckets.refused == 0  # nobody met a 429 either


async def test_a_share_of_1_turns_it_off(sqlite_url: str) -> None:
    bot = await start_harness(
        sqlite_url,
        switchboard_rate_budget=True,
        switchboard_emulator_rate_limits=True,
        switchboard_person_share=1,
    )
    try:
        for _ in range(15):
            reply = await bot.command("bob", "/forward", "list")
            assert not any("try again" in t for t in reply.texts())
    finally:
        await bot.close()
