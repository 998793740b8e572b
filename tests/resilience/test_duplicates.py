"""Duplicate deliveries (Slack retries, double clicks, proxies): one mutation, one audit row."""

from __future__ import annotations

import asyncio
import json
import secrets

import pytest

from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.shell import payloads
from bot.web import signing
from tests.helpers.harness import Harness, start_configured, user_id

FIGURES: dict[str, int] = {}


def audit_count(actions: list[str], action: str) -> int:
    return actions.count(action)


@pytest.mark.parametrize("copies", [2, 4])
async def test_slash_command_delivered_several_times(bot: Harness, copies: int) -> None:
    body = payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/forward",
        text="add 650 555 0190 Twin",
        response_url=bot.slack.response_url(),
    )
    headers = signing.signed_headers(bot.secret, body)
    responses = await asyncio.gather(*(bot.post(body, headers) for _ in range(copies)))
    await bot.runtime.tasks.wait_idle()
    assert [r.status_code for r in responses] == [200] * copies
    assert bot.rc_faults.count("POST", "/forwarding-number") == 1
    assert audit_count([r.action for r in await bot.audit_rows()], "forwarding.add") == 1
    confirmations = [c for c in bot.slack.of("response_url") if "Added" in c.args.get("text", "")]
    assert len(confirmations) == 1
    FIGURES[f"slash x{copies}"] = bot.rc_faults.count("POST", "/forwarding-number")


async def test_block_action_double_click_and_view_submission_repeats(bot: Harness) -> None:
    from tests.helpers.modal import button, open_list

    _, listing = await open_list(bot)
    form_reply = await bot.click("alice", button(listing, "forward_add"), view=listing)
    form = bot.latest_view(form_reply)
    state = {
        "phone": {"value": {"type": "plain_text_input", "value": "650 555 0191"}},
        "label": {"value": {"type": "plain_text_input", "value": "Twice"}},
    }
    body = payloads.view_submission(user_id=user_id("alice"), user_name="alice", view=form, values=state)
    headers = signing.signed_headers(bot.secret, body)
    await asyncio.gather(*(bot.post(body, headers) for _ in range(3)))
    await bot.runtime.tasks.wait_idle()
    assert bot.rc_faults.count("POST", "/forwarding-number") == 1
    assert audit_count([r.action for r in await bot.audit_rows()], "forwarding.add") == 1


async def test_events_api_retries_are_acknowledged_once(bot: Harness) -> None:
    event = payloads.app_home_opened(user_id("alice"))
    for retry in range(3):
        headers = signing.signed_headers(bot.secret, event)
        headers["Content-Type"] = "application/json"
        if retry:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        response = await bot.post(event, headers)
        assert response.status_code == 200
    await bot.runtime.tasks.wait_idle()
    assert len(bot.slack.of("views.publish")) <= 3  # reads only: a retried event changes nothing
    assert [r.action for r in await bot.audit_rows()] == ["link.email"]


async def test_three_instances_on_postgres_change_once(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    client_id = "client-" + secrets.token_hex(3)
    bots = [await start_configured(postgres_url, url, client_id=client_id) for _ in range(3)]
    try:
        await bots[0].command("alice", "/switchboard", "whoami")  # link first, as Slack users do
        body = payloads.slash_command(
            user_id=user_id("alice"),
            user_name="alice",
            command="/forward",
            text="add 650 555 0192 Trio",
            response_url=bots[0].slack.response_url(),
        )
        await asyncio.gather(
            *(b.post(body, signing.signed_headers(b.secret, body)) for b in bots for _ in range(2))
        )
        await asyncio.gather(*(b.runtime.tasks.wait_idle() for b in bots))
        assert app.faults.count("POST", "/forwarding-number") == 1
        actions = [r.action for r in await bots[0].audit_rows()]
        assert actions.count("forwarding.add") == 1
        FIGURES["3 instances x2"] = app.faults.count("POST", "/forwarding-number")
    finally:
        for b in bots:
            await b.close()
    print(json.dumps({"duplicates": FIGURES}))
