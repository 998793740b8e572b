"""Slack's trigger rule, in the stand-in and in the bot (docs/contract.md "The platforms' own rules").

A `trigger_id` opens one view, within 3 s of the interaction that carried it
(https://api.slack.com/docs/triggers). The stand-in refuses a late or reused trigger as Slack
does; the bot opens every window at once, loading, and fills it by `views.update` once the
provider has answered, however slow the provider is.

Slow-provider tests shorten the stand-in's trigger lifetime (stricter than Slack, never
kinder) so that a bot waiting on even one provider request misses it, without slow tests.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import TRIGGERS, SlackStandIn
from bot.tasks import Nobody
from tests.helpers.harness import Harness, Reply, start_harness, user_id

SHORT_TRIGGER = 0.8  # the stand-in's lifetime in these tests (Slack's is 3 s)
SOMEONE_ELSES = Nobody("someone else's slow work, holding the one slot")
SLOW_PROVIDER = 1.0  # seconds per RingCentral request: one request outlives the trigger


async def test_the_stand_in_refuses_a_late_and_a_reused_trigger() -> None:
    slack = SlackStandIn()
    await slack.start()
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    view: dict[str, Any] = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "T"},
        "blocks": [],
    }
    try:
        fresh = payloads.trigger_id()
        opened = await client.views_open(trigger_id=fresh, view=view)
        assert opened["ok"]
        assert opened["view"]["id"]

        async def refusal(trigger: str, method: str = "views_open") -> str:
            with pytest.raises(SlackApiError) as caught:
                await getattr(client, method)(trigger_id=trigger, view=view)
            return str(caught.value.response["error"])

        assert await refusal(fresh) == "exchanged_trigger_id"  # used once already
        assert await refusal(fresh, "views_push") == "exchanged_trigger_id"
        assert await refusal(TRIGGERS.mint(age=3.1)) == "expired_trigger_id"  # Slack's 3 s
        assert await refusal("12345.98765.abcd2358fdea") == "invalid_trigger_id"  # never issued
        still_fresh = TRIGGERS.mint(age=2.5)
        assert (await client.views_open(trigger_id=still_fresh, view=view))["ok"]
    finally:
        await slack.stop()


async def test_the_stand_in_updates_only_a_view_it_knows_at_its_current_hash() -> None:
    """views.update: `not_found` for an unknown view, `hash_conflict` for a stale hash
    (https://docs.slack.dev/reference/methods/views.update)."""
    slack = SlackStandIn()
    await slack.start()
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    view: dict[str, Any] = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": []}
    try:
        opened = (await client.views_open(trigger_id=payloads.trigger_id(), view=view))["view"]

        async def refusal(**kwargs: str) -> str:
            with pytest.raises(SlackApiError) as caught:
                await client.views_update(view=view, **kwargs)
            return str(caught.value.response["error"])

        assert await refusal(view_id="VNEVER0001") == "not_found"
        updated = await client.views_update(view=view, view_id=opened["id"], hash=opened["hash"])
        assert updated["view"]["id"] == opened["id"]
        assert await refusal(view_id=opened["id"], hash=opened["hash"]) == "hash_conflict"
        assert (await client.views_update(view=view, view_id=opened["id"]))["ok"]  # no hash: last wins
    finally:
        await slack.stop()


def views_opened(reply: Reply) -> list[dict[str, Any]]:
    return [c.result or {} for c in reply.calls if c.method == "views.open"]


def last_update(reply: Reply) -> dict[str, Any]:
    updates = [c.args["view"] for c in reply.calls if c.method == "views.update"]
    assert updates, [c.method for c in reply.calls]
    return dict(updates[-1])


@pytest.fixture
def slow(bot: Harness) -> Harness:
    bot.slack.trigger_lifetime = SHORT_TRIGGER
    bot.rc_faults.latency = SLOW_PROVIDER
    return bot


@pytest.mark.slow  # waits out slow providers or retries on purpose
async def test_forward_all_calls_from_the_app_home_opens_at_once_under_a_slow_provider(
    slow: Harness,
) -> None:
    reply = await slow.click("alice", {"action_id": "forward_toggle_open", "value": user_id("alice")})
    assert [o.get("ok") for o in views_opened(reply)] == [True]
    assert "Reading your forwarding" in json.dumps(views_opened(reply)[0]["view"])
    form = last_update(reply)
    assert form["callback_id"] == "forward_toggle_form"
    assert "Send all my calls to" in json.dumps(form)


async def test_a_late_trigger_is_told_in_one_sentence(bot: Harness) -> None:
    bot.slack.trigger_lifetime = 0.0  # every trigger has expired by the time it is used
    reply = await bot.command("alice", "/transfer")
    assert [o.get("error") for o in views_opened(reply)] == ["expired_trigger_id"]
    assert "Slack closed that window before it could open; please try again." in reply.text


@pytest.mark.slow  # waits out slow providers or retries on purpose
@pytest.mark.slow  # waits out slow providers or retries on purpose
@pytest.mark.parametrize(
    ("who", "command", "text", "loading", "filled"),
    [
        ("alice", "/forward", "", "forward_loading", "forward_list"),
        ("alice", "/transfer", "", "transfer_result", "transfer_form"),
        ("admin", "/oncall", "create", "oncall_rotation_form_done", "oncall_rotation_form"),
    ],
)
async def test_a_window_never_waits_for_a_background_slot(
    sqlite_url: str, who: str, command: str, text: str, loading: str, filled: str
) -> None:
    """Every slot busy (here the only one): the window still opens at once, loading."""
    bot = await start_harness(sqlite_url, switchboard_max_background_tasks=1)
    try:
        bot.slack.trigger_lifetime = SHORT_TRIGGER
        bot.runtime.tasks.spawn(asyncio.sleep(SHORT_TRIGGER + 0.5), tell=SOMEONE_ELSES)
        reply = await bot.command(who, command, text)
        assert [o.get("ok") for o in views_opened(reply)] == [True]
        assert views_opened(reply)[0]["view"]["callback_id"] == loading
        assert last_update(reply)["callback_id"] == filled
    finally:
        await bot.close()


@pytest.mark.parametrize(
    ("action_id", "loading", "filled"),
    [
        ("forward_open", "forward_loading", "forward_list"),  # App Home: Manage numbers
        ("home_signin_connect", "home_signin", "home_signin"),  # App Home: Connect RingCentral
    ],
)
async def test_an_app_home_button_opens_its_window_without_a_background_slot(
    sqlite_url: str, action_id: str, loading: str, filled: str
) -> None:
    bot = await start_harness(sqlite_url, switchboard_max_background_tasks=1)
    try:
        bot.slack.trigger_lifetime = SHORT_TRIGGER
        bot.runtime.tasks.spawn(asyncio.sleep(SHORT_TRIGGER + 0.5), tell=SOMEONE_ELSES)
        reply = await bot.click("carol", {"action_id": action_id, "value": ""})
        assert [o.get("ok") for o in views_opened(reply)] == [True]
        assert views_opened(reply)[0]["view"]["callback_id"] == loading
        assert last_update(reply)["callback_id"] == filled
    finally:
        await bot.close()
