"""Every payload of a full tour checked against the Block Kit rules the Slack stand-in enforces
(slack_sdk's models and the reference's limits, bot/devkit/shell/block_rules.py), acks
included (they reach Slack without the stand-in); and the stand-in refuses over the wire
as Slack does (docs/emulators.md)."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.devkit.shell import payloads
from bot.devkit.shell.block_rules import HOME, MODAL, message_problems, view_problems
from bot.devkit.shell.standin import Call, SlackStandIn
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation


def validate(call: Call) -> int:
    """Check what one Web API call, response_url post or ack carried; returns blocks seen."""
    view = call.args.get("view")
    if isinstance(view, dict):
        assert view_problems(view, HOME if view.get("type") == HOME else MODAL) == [], call
        return len(view.get("blocks", []))
    blocks: list[dict[str, Any]] = call.args.get("blocks") or []
    assert message_problems(blocks) == [], call
    return len(blocks)


async def test_the_stand_in_refuses_what_slack_refuses_over_the_wire() -> None:
    slack = SlackStandIn()
    await slack.start()
    client = AsyncWebClient(token="xoxb-test", base_url=slack.api_url)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}
    choices = [{"text": {"type": "plain_text", "text": f"{i}"}, "value": f"{i}"} for i in range(11)]
    radio = {"type": "radio_buttons", "action_id": "value", "options": choices}
    form = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Pick"},
        "submit": {"type": "plain_text", "text": "Go"},
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "label": {"type": "plain_text", "text": "L"},
                "element": radio,
            }
        ],
    }
    try:
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="C1", text="t", blocks=[section] * 51)
        assert caught.value.response["error"] == "invalid_blocks"
        assert caught.value.response["response_metadata"]["messages"] == [
            "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
        ]
        trigger = payloads.trigger_id()
        with pytest.raises(SlackApiError) as caught:
            await client.views_open(trigger_id=trigger, view=form)
        assert caught.value.response["error"] == "invalid_arguments"
        assert caught.value.response["response_metadata"]["messages"] == [
            "[ERROR] no more than 10 items allowed [json-pointer:/view/blocks/0/element/options]"
        ]
        radio["options"] = choices[:10]  # the limit itself; the refused call spent no trigger
        assert (await client.views_open(trigger_id=trigger, view=form))["ok"]
        json_body = {"Content-Type": "application/json"}  # as respond() posts
        async with aiohttp.ClientSession(headers=json_body) as session:
            bad = json.dumps({"text": "t", "blocks": [section] * 51})
            async with session.post(slack.response_url(), data=bad) as answer:
                assert (answer.status, await answer.text()) == (400, "invalid_blocks")
            good = json.dumps({"text": "t", "blocks": [section] * 50})
            async with session.post(slack.response_url(), data=good) as answer:
                assert answer.status == 200
    finally:
        await slack.stop()


async def test_a_full_tour_is_valid_block_kit(bot: Harness) -> None:
    calls: list[Call] = []

    async def run(who: str, command: str, text: str = "") -> None:
        reply = await bot.command(who, command, text)
        calls.extend(reply.calls)
        if reply.body and reply.body.get("blocks"):
            calls.append(Call("ack", reply.body))

    long_label = "Reception desk at the Lisbon office, second floor, left wing"
    await run("alice", "/forward", "list")
    await run("alice", "/forward", f"add +33 1 42 68 53 00 {long_label}")
    await run("alice", "/forward", "")  # the modal, with the toggle switch
    opened = await bot.click("alice", {"action_id": "forward_toggle_open", "value": user_id("alice")})
    calls.extend(opened.calls)
    await run("alice", "/forward", "to mobile for 2h")
    await run("alice", "/forward", "status")
    await run("alice", "/forward", "off")
    await run("alice", "/forward", "remove nothing-like-this")  # the list to choose from
    await run("alice", "/transfer", "")
    await run("alice", "/transfer", "voicemail")
    await run("admin", "/switchboard", "help")
    await run("alice", "/switchboard", "whoami")
    for n in range(30):  # enough audit rows to need more than one section
        await run("admin", "/switchboard", f"link <@{user_id('mallory')}> {'106' if n % 2 else '108'}")
    await run("admin", "/switchboard", "audit 50")
    calls.extend((await create_rotation(bot)).calls)
    await run("alice", "/oncall", "")
    await run("alice", "/oncall", "schedule")
    home = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    calls.extend(home.calls)
    calls.extend(Call("views.update", {"view": view}) for view in bot.slack.views.values())
    seen = sum(validate(c) for c in calls)
    assert seen > 50
    toggle_menus = [
        o["text"]["text"]
        for v in bot.slack.views.values()
        for b in v.get("blocks", [])
        for o in (b.get("element") or {}).get("options", [])
        if b.get("block_id") == "target"
    ]
    assert any(t.endswith("+33 1 42 68 53 00") for t in toggle_menus), toggle_menus


@pytest.mark.slow  # 55 commands
async def test_a_long_audit_is_never_cut_mid_line(bot: Harness) -> None:
    for n in range(55):
        await bot.command(
            "admin", "/switchboard", f"link <@{user_id('mallory')}> {'106' if n % 2 else '108'}"
        )
    reply = await bot.command("admin", "/switchboard", "audit 50")
    blocks = next(c.args["blocks"] for c in reply.calls if c.args.get("blocks"))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    rows = [line for text in sections for line in text.split("\n")]
    assert len(rows) == 50
    assert all(line.count("`") % 2 == 0 for line in rows)  # every code span closed
    assert "5 more not shown" in str(blocks)  # says how many, and how to see them
