"""docs/contract.md "Fair shares and a hardened front": no single person starves the others.

Against the built-in emulator with RingCentral's real limits on (Light 50 a minute per
token): everyone who never connected their own login shares the administrator's token.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, start_harness, user_id


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


async def test_app_home_opens_count_as_work_and_are_served_once(bot: Harness) -> None:
    """210 `app_home_opened` from bob at once: his Home is built once, alice isn't kept waiting."""
    bot.rc_faults.latency = 0.2  # every provider call takes a while: the opens overlap
    bodies = [payloads.app_home_opened(user_id("bob")) for _ in range(210)]
    headers = {"Content-Type": "application/json"}
    answers = await asyncio.gather(
        *(bot.post(body, {**signing.signed_headers(bot.secret, body), **headers}) for body in bodies)
    )
    assert all(a.status_code == 200 for a in answers)
    assert bot.runtime.tasks.in_progress(user_id("bob")) <= 3
    reply = await bot.command("alice", "/forward", "list")
    assert not any("busy" in t or "ahead of you" in t for t in reply.texts()), reply.texts()
    assert any("Your forwarding numbers" in t for t in reply.texts())
    published = [
        c for c in reply.calls if c.method == "views.publish" and c.args["user_id"] == user_id("bob")
    ]
    assert 1 <= len(published) <= 2  # in flight together: served once (one more if it overlapped)


async def test_button_presses_count_towards_a_persons_work_in_progress(bot: Harness) -> None:
    bot.rc_faults.latency = 0.3
    first = await bot.command("alice", "/forward")
    listing = bot.latest_view(first)
    button = next(
        {**e, "block_id": b.get("block_id", "")}
        for b in listing["blocks"]
        for e in b.get("elements", []) + ([b["accessory"]] if "accessory" in b else [])
        if e.get("action_id") == "forward_add"
    )
    clicks = [
        payloads.block_action(
            user_id=user_id("alice"),
            user_name="alice",
            action=button,
            response_url=bot.slack.response_url(),
            view=listing,
        )
        for _ in range(8)
    ]
    await asyncio.gather(*(bot.post(c, signing.signed_headers(bot.secret, c)) for c in clicks))
    assert bot.runtime.tasks.in_progress(user_id("alice")) <= 3  # 8 pressed at once: 3 run
    await bot.runtime.tasks.wait_idle()


async def test_a_429_with_a_short_retry_after_is_waited_out_and_answered(limited: Harness) -> None:
    """`Retry-After: 2` is within a person's 5 s bound: the request is sent again and answered."""
    bot = limited
    await bot.command("alice", "/forward", "list")  # linked, token issued
    bot.rc_faults.add("GET /forwarding-number=429:2x1")
    reply = await bot.command("alice", "/forward", "list")
    assert not any("try again" in t for t in reply.texts()), reply.texts()
    assert any("Your forwarding numbers" in t for t in reply.texts())
    assert bot.rc_faults.count("GET", "/forwarding-number") == 3  # the first, the 429, the retry
