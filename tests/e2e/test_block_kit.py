"""Every payload of a full tour validated with slack_sdk's Block Kit models (text, option and
block limits), the way Slack itself would refuse one."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import Call
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation

MAX_BLOCKS_MESSAGE = 50
MAX_BLOCKS_VIEW = 100


def validate(call: Call) -> int:
    """Validate what one Web API call (or response_url post) carried; returns blocks seen."""
    view = call.args.get("view")
    if isinstance(view, dict):
        known = {k: v for k, v in view.items() if k in View.attributes}
        View(**known).validate_json()
        assert len(view.get("blocks", [])) <= MAX_BLOCKS_VIEW
        return len(view.get("blocks", []))
    blocks: list[dict[str, Any]] = call.args.get("blocks") or []
    assert len(blocks) <= MAX_BLOCKS_MESSAGE
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
    return len(blocks)


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
