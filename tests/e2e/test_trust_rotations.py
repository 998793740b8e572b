"""docs/contract.md "Trust" for rotations: admins alone change them; hotlines are nobody's line."""

from __future__ import annotations

import json
from typing import Any

from bot.devkit.shell import payloads
from tests.helpers.emulated import HOTLINE_EXT
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation, form_values, hotline_forwards_to, outcome

DIRECTOR_EXT = 2263487004  # admin@example.com's own extension, 101


def forged_form(bot: Harness, who: str, **fields: str) -> bytes:
    """The rotation modal as a member could submit it without ever being shown it."""
    view: dict[str, Any] = {
        "id": "VFORGED1",
        "hash": "1.forged",
        "type": "modal",
        "callback_id": "oncall_rotation_form",
        "private_metadata": json.dumps({"opener": user_id(who)}),
    }
    values = form_values("support", [user_id(who)], **fields)
    return payloads.view_submission(user_id=user_id(who), user_name=who, view=view, values=values)


async def test_a_member_cannot_repoint_the_hotline_or_drop_the_others(bot: Harness) -> None:
    await create_rotation(bot)
    await bot.runtime.handoffs.tick()
    before = hotline_forwards_to(bot)
    for fields in ({"hotline": "101"}, {}, {"shift_length": "24"}):
        reply = await bot.signed(forged_form(bot, "alice", **fields))
        assert reply.body is not None
        assert "Only Switchboard admins" in json.dumps(reply.body)
    rotation = (await bot.runtime.rotations.rotations())[0]
    assert rotation.schedule.members == (user_id("alice"), user_id("bob"))
    assert rotation.hotline == f"ringcentral:{HOTLINE_EXT}"
    await bot.runtime.handoffs.tick()
    assert hotline_forwards_to(bot) == before
    assert not [r for r in bot.rc.extensions[DIRECTOR_EXT].rules_v1.values() if r["type"] == "Custom"]


async def test_a_persons_extension_is_refused_as_a_hotline(bot: Harness) -> None:
    opened = await bot.command("admin", "/oncall", "create")
    form = bot.latest_view(opened)
    for ext, reason in (("101", "a person's extension"), ("109", "a person's extension")):
        body = payloads.view_submission(
            user_id=user_id("admin"),
            user_name="admin",
            view=form,
            values=form_values("support", [user_id("alice")], hotline=ext),
        )
        reply = await bot.signed(body)
        assert reason in outcome(reply)
    assert await bot.runtime.rotations.rotations() == []


async def test_one_rotation_per_hotline(bot: Harness) -> None:
    await create_rotation(bot)
    opened = await bot.command("admin", "/oncall", "create")
    body = payloads.view_submission(
        user_id=user_id("admin"),
        user_name="admin",
        view=bot.latest_view(opened),
        values=form_values("billing", [user_id("bob")]),
    )
    reply = await bot.signed(body)
    assert "already the hotline of rotation `support`" in outcome(reply)


async def test_delete_gives_the_hotline_back_exactly(bot: Harness) -> None:
    original = json.dumps(bot.rc.extensions[HOTLINE_EXT].rules_v1, sort_keys=True)
    await create_rotation(bot)
    await bot.runtime.handoffs.tick()
    assert hotline_forwards_to(bot) is not None
    refused = await bot.command("alice", "/oncall", "delete support")
    assert "Only Switchboard admins" in refused.text
    deleted = await bot.command("admin", "/oncall", "delete support")
    assert "back as it was" in deleted.text
    assert json.dumps(bot.rc.extensions[HOTLINE_EXT].rules_v1, sort_keys=True) == original
    assert await bot.runtime.rotations.rotations() == []
    assert "rotation.delete" in [r.action for r in await bot.audit_rows()]


async def test_changing_the_hotline_gives_the_old_one_back(bot: Harness) -> None:
    original = json.dumps(bot.rc.extensions[HOTLINE_EXT].rules_v1, sort_keys=True)
    await create_rotation(bot)
    await bot.runtime.handoffs.tick()
    opened = await bot.command("admin", "/oncall", "create support")
    body = payloads.view_submission(
        user_id=user_id("admin"),
        user_name="admin",
        view=bot.latest_view(opened),
        values=form_values(
            "support", [user_id("alice"), user_id("bob")], hotline="smspartner:+33612345678"
        ),
    )
    reply = await bot.signed(body)
    assert "saved" in outcome(reply)
    assert json.dumps(bot.rc.extensions[HOTLINE_EXT].rules_v1, sort_keys=True) == original
