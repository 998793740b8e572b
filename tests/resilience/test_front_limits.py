"""docs/contract.md "Limits at the front": refused early, never with a 500, never slowing others."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, user_id


def command_body(bot: Harness, who: str, text: str) -> bytes:
    return payloads.slash_command(
        user_id=user_id(who),
        user_name=who,
        command="/forward",
        text=text,
        response_url=bot.slack.response_url(),
    )


@pytest.mark.served
async def test_an_oversized_body_is_413_without_being_read(bot: Harness) -> None:
    big = b"text=" + b"x" * (600 * 1024)
    headers = signing.signed_headers(bot.secret, big)
    declared = await bot.post(big, headers)
    assert declared.status_code == 413
    sent = 0

    async def stream() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        nonlocal sent
        for _ in range(64):
            sent += 64 * 1024
            yield b"y" * (64 * 1024)

    chunked = await bot.http.post(
        f"{bot.url}/slack/events", content=stream(), headers=signing.signed_headers(bot.secret, b"")
    )
    assert chunked.status_code == 413


@pytest.mark.served
async def test_unsigned_requests_are_401_before_the_body(bot: Harness) -> None:
    huge = b"x" * (2 * 1024 * 1024)
    for headers in ({}, {"X-Slack-Signature": "v0=abc"}, {"X-Slack-Request-Timestamp": "1"}):
        response = await bot.post(huge, headers)
        assert response.status_code == 401


@pytest.mark.served
async def test_absurd_timestamps_are_401_never_500(bot: Harness) -> None:
    body = command_body(bot, "alice", "list")
    for stamp in ("9" * 5000, "9" * 13, "-5", "1e9", "0x10", "12.5"):
        headers = {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signing.sign(bot.secret, "1", body),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        response = await bot.post(body, headers)
        assert response.status_code == 401, stamp


async def test_a_60_kb_command_is_answered_at_once_with_no_provider_call(bot: Harness) -> None:
    reads = bot.rc_faults.count("GET")
    started = time.perf_counter()
    reply = await bot.signed(command_body(bot, "alice", "add 650 555 0100 " + "9" * 60_000))
    assert time.perf_counter() - started < 1.0
    assert reply.body is not None
    assert "too long for a command" in reply.body["text"]
    assert bot.rc_faults.count("GET") == reads


async def test_one_persons_burst_is_capped_at_three_and_others_are_not_slowed(bot: Harness) -> None:
    bot.rc_faults.latency = 0.5  # every provider call takes half a second
    headers_for = [command_body(bot, "alice", "list") for _ in range(8)]
    replies = await asyncio.gather(
        *(bot.post(body, signing.signed_headers(bot.secret, body)) for body in headers_for)
    )
    told = [r.json()["text"] for r in replies if r.content.startswith(b"{")]
    assert sum("You already have 3 commands in progress" in t for t in told) == 5
    started = time.perf_counter()
    other = command_body(bot, "bob", "list")
    answer = await bot.post(other, signing.signed_headers(bot.secret, other))
    assert time.perf_counter() - started < 0.3  # admitted at once, not queued behind alice
    assert not answer.content.startswith(b"{")  # an empty ack: the list follows
    await bot.runtime.tasks.wait_idle()


async def test_a_refused_button_reads_nothing_of_the_victims_line(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    reads = bot.rc_faults.count("GET")
    for action_id in ("forward_toggle_off", "forward_toggle_open"):
        reply = await bot.click("bob", {"action_id": action_id, "value": user_id("alice")})
        assert bot.rc_faults.count("GET") == reads, action_id
        assert all(
            c.method != "views.publish" or c.args.get("user_id") != user_id("alice") for c in reply.calls
        )
