"""Slow providers: the ack comes first; a bounded task set; users told on shutdown."""

from __future__ import annotations

import asyncio

from bot.devkit.shell import payloads
from bot.slack.app import YOURS_BUSY
from bot.tasks import BUSY, SHUTTING_DOWN
from bot.web import signing
from handlers.shared import PROGRESS
from tests.helpers.harness import Harness, start_harness, user_id

PEOPLE = ["alice", "bob", "carol", "admin", "erin", "frank", "grace", "heidi"]


def list_command(bot: Harness, who: str = "alice") -> bytes:
    return payloads.slash_command(
        user_id=user_id(who),
        user_name=who,
        command="/forward",
        text="list",
        response_url=bot.slack.response_url(),
    )


async def test_the_ack_arrives_while_the_provider_is_still_working(bot: Harness) -> None:
    await bot.command("alice", "/switchboard", "whoami")  # linked; token obtained
    bot.rc_faults.latency = 1.0
    body = list_command(bot)
    response = await bot.post(body, signing.signed_headers(bot.secret, body))
    assert response.status_code == 200
    assert bot.runtime.tasks.running == 1  # the provider call has not finished yet
    assert bot.slack.of("response_url") == []
    await bot.runtime.tasks.wait_idle()
    assert len(bot.slack.of("response_url")) == 1


async def test_fifty_concurrent_slow_commands_are_bounded(sqlite_url: str) -> None:
    bot = await start_harness(sqlite_url, switchboard_max_background_tasks=20)
    try:
        for who in PEOPLE:
            await bot.command(who, "/switchboard", "whoami")  # each linked by email first
        bot.rc_faults.latency = 2.0  # longer than posting all 50 takes on a busy machine
        # 50 commands from 8 people: the global bound (20) and the per-person cap (3) both bite
        bodies = [list_command(bot, PEOPLE[i % len(PEOPLE)]) for i in range(50)]
        responses = await asyncio.gather(
            *(bot.post(b, signing.signed_headers(bot.secret, b)) for b in bodies)
        )
        assert all(r.status_code == 200 for r in responses)
        assert bot.runtime.tasks.running <= 20
        await bot.runtime.tasks.wait_idle()
        said = [c.args.get("text", "") for c in bot.slack.of("response_url")]
        texts = [t for t in said if t != PROGRESS]  # the answers, not the "working on it" lines
        capped = len(PEOPLE) * 3  # each person's first three; the rest hear it in the ack
        assert sum(YOURS_BUSY in r.text for r in responses) == 50 - capped
        assert sum(BUSY in r.text for r in responses) == 0  # room in line: nobody else refused
        assert sum("ahead of you" in r.text for r in responses) == capped - 20  # not silent
        assert texts.count(BUSY) == 0
        assert len(texts) == capped  # 20 ran at once, the others waited in line and ran
        print({"concurrent": 50, "answered": len(texts), "told to wait for their own": 50 - capped})
    finally:
        await bot.close()


async def test_shutdown_mid_flight_tells_the_users(sqlite_url: str) -> None:
    bot = await start_harness(sqlite_url)
    try:
        await bot.command("alice", "/switchboard", "whoami")
        bot.rc_faults.latency = 5.0
        bodies = [list_command(bot) for _ in range(3)]
        await asyncio.gather(*(bot.post(b, signing.signed_headers(bot.secret, b)) for b in bodies))
        assert bot.runtime.tasks.running == 3
        await bot.runtime.tasks.shutdown(grace=0.1)
        texts = [c.args.get("text", "") for c in bot.slack.of("response_url")]
        assert texts.count(SHUTTING_DOWN) == 3
    finally:
        await bot.close()
