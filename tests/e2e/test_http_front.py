"""The HTTP front: 401 for every bad signature (changing nothing), health and readiness.

In-process, but for the checks on the bytes as they cross a socket (`served`): the
signature is computed over the body exactly as uvicorn received it."""

from __future__ import annotations

import json
import time

import pytest

from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, user_id


def whoami_body(bot: Harness) -> bytes:
    return payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/switchboard",
        text="whoami",
        response_url=bot.slack.response_url(),
    )


def forged(bot: Harness, body: bytes, case: str) -> dict[str, str]:
    now = str(int(time.time()))
    good = signing.sign(bot.secret, now, body)
    return {
        "wrong signature": {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": "v0=" + "0" * 64},
        "missing signature": {"X-Slack-Request-Timestamp": now},
        "missing timestamp": {"X-Slack-Signature": good},
        "non-integer timestamp": {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": good},
        "stale timestamp": signing.signed_headers(bot.secret, body, timestamp=int(time.time()) - 310),
        "future timestamp": signing.signed_headers(bot.secret, body, timestamp=int(time.time()) + 310),
        "other secret": signing.signed_headers("not-the-secret", body),
    }[case]


@pytest.mark.parametrize(
    "case",
    [
        "wrong signature",
        "missing signature",
        "missing timestamp",
        "non-integer timestamp",
        "stale timestamp",
        "future timestamp",
        "other secret",
    ],
)
async def test_bad_signatures_get_401_and_change_nothing(bot: Harness, case: str) -> None:
    body = whoami_body(bot)
    response = await bot.post(body, forged(bot, body, case))
    await bot.runtime.tasks.wait_idle()
    assert response.status_code == 401
    assert bot.slack.drain() == []
    assert bot.rc_faults.count("") == 0
    assert await bot.audit_rows() == []


@pytest.mark.served
async def test_a_command_signed_over_the_wire_is_answered(bot: Harness) -> None:
    assert bot.served
    reply = await bot.command("alice", "/switchboard", "whoami")
    assert reply.status == 200
    assert "extension" in reply.text


@pytest.mark.served
async def test_tampered_body_and_replay(bot: Harness) -> None:
    body = whoami_body(bot)
    headers = signing.signed_headers(bot.secret, body)
    tampered = body.replace(b"whoami", b"unlink")
    assert (await bot.post(tampered, headers)).status_code == 401
    old = signing.signed_headers(bot.secret, body, timestamp=int(time.time()) - 3600)
    assert (await bot.post(body, old)).status_code == 401


async def test_url_verification_answers_the_challenge(bot: Harness) -> None:
    body = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-123"}).encode()
    reply = await bot.signed(body, content_type="application/json")
    assert reply.status == 200
    assert reply.body == {"challenge": "c-123"}


async def test_healthz_and_readyz(bot: Harness) -> None:
    health = await bot.http.get(f"{bot.url}/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    ready = await bot.http.get(f"{bot.url}/readyz")
    assert ready.status_code == 200


async def test_readyz_names_a_failing_provider(bot: Harness) -> None:
    bot.rc_faults.add("GET /extension/=503")
    ready = await bot.http.get(f"{bot.url}/readyz")
    assert ready.status_code == 503
    assert set(ready.json()["failing"]) == {"ringcentral"}
    assert "ringcentral" in ready.json()["failing"]


async def test_a_rate_limit_penalty_is_degraded_not_unavailable(bot: Harness) -> None:
    """docs/contract.md "Rate limits": a 429 penalty must not make a load balancer pull the instance."""
    bot.rc_faults.add("GET /extension/=429:60x1")
    ready = await bot.http.get(f"{bot.url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert set(ready.json()["degraded"]) == {"ringcentral"}
    sent = bot.rc_faults.count("GET", "/extension/")
    again = await bot.http.get(f"{bot.url}/readyz")
    assert again.status_code == 200
    assert bot.rc_faults.count("GET", "/extension/") == sent  # the probe sends nothing into it


async def test_app_home_opened_publishes_the_home_tab(bot: Harness) -> None:
    reply = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    published = [c for c in reply.calls if c.method == "views.publish"]
    assert len(published) == 1
    assert published[0].args["user_id"] == user_id("alice")
    text = json.dumps(published[0].args["view"])
    assert "`102`" in text


async def test_a_busy_ringcentral_shows_the_last_home_with_a_note(bot: Harness) -> None:
    """Issue 18: an App Home is never dropped silently; the last known page, and why."""
    await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    # A change of alice's own forgets the read the Home just made (it is kept 10 s), so the
    # next Home reads RingCentral again, and RingCentral is busy then.
    await bot.command("alice", "/forward", "add +1 650 555 0199 Desk")
    await bot.runtime.tasks.wait_idle()
    bot.rc_faults.add("GET /forwarding-number=429:60x1")
    reply = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    view = next(c for c in reply.calls if c.method == "views.publish").args["view"]
    text = json.dumps(view)
    assert "RingCentral is busy" in text
    assert "Shown as it was at" in text
    assert "`102`" in text  # the page as it was, not an empty one
