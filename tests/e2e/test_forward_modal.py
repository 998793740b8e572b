"""/forward's modal over HTTP: loading → list, add and edit forms, errors, saving, replays."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness, user_id
from tests.helpers.modal import button, open_list


def row_option(view: dict[str, Any], prefix: str) -> dict[str, Any]:
    menu = button(view, "forward_row")
    option = next(o for o in menu["options"] if o["value"].startswith(prefix))
    return {
        "type": "overflow",
        "action_id": "forward_row",
        "block_id": menu["block_id"],
        "selected_option": option,
    }


async def test_modal_opens_loading_then_shows_the_list(bot: Harness) -> None:
    reply, view = await open_list(bot)
    methods = [c.method for c in reply.calls if c.method.startswith("views.")]
    assert methods[:2] == ["views.open", "views.update"]
    opened = next(c for c in reply.calls if c.method == "views.open")
    assert "Loading" in json.dumps(opened.args["view"])
    assert view["callback_id"] == "forward_list"
    assert "(415) 555-0123" in json.dumps(view)


async def test_add_through_the_form_saves_once_even_when_submitted_twice(bot: Harness) -> None:
    _, listing = await open_list(bot)
    clicked = await bot.click("alice", button(listing, "forward_add"), view=listing)
    form = bot.latest_view(clicked)
    assert form["callback_id"] == "forward_add_form"
    values = {"phone": "(650) 555-0155", "label": "Garage"}
    first = await bot.submit("alice", form, values)
    assert first.body is not None
    assert first.body["response_action"] == "update"
    assert "Saving" in json.dumps(first.body["view"])
    done = bot.latest_view(first)
    assert "Added *Garage*" in json.dumps(done)
    second = await bot.submit("alice", form, values)  # same view id and hash: a replay
    assert "Added" not in json.dumps(bot.latest_view(second))  # no second confirmation
    numbers = [n.phone for n in bot.rc.extensions[ALICE_EXT].forwarding]
    assert numbers.count("+16505550155") == 1
    assert bot.rc_faults.count("POST", "/forwarding-number") == 1
    assert [r.action for r in await bot.audit_rows()].count("forwarding.add") == 1


async def test_local_errors_come_back_inline_without_a_provider_call(bot: Harness) -> None:
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", button(listing, "forward_add"), view=listing))
    before = bot.rc_faults.count("")
    reply = await bot.submit("alice", form, {"phone": "R&D <x>", "label": "y" * 61})
    assert reply.body is not None
    assert reply.body["response_action"] == "errors"
    assert set(reply.body["errors"]) == {"phone", "label"}
    # a field error is plain text: what was typed reads back as typed, no mrkdwn, no entities
    assert reply.body["errors"]["phone"] == "R&D <x> doesn't look like a phone number."
    assert bot.rc_faults.count("") == before


async def test_provider_rejection_shows_under_the_field(bot: Harness) -> None:
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", button(listing, "forward_add"), view=listing))
    reply = await bot.submit("alice", form, {"phone": "+1 650 555 0100", "label": ""})  # the main number
    again = bot.latest_view(reply)
    assert again["callback_id"] == "forward_add_form"
    text = json.dumps(again)
    assert "someone in your company" in text
    assert [r.action for r in await bot.audit_rows()] == ["link.email"]


async def test_edit_and_remove_from_the_row_menu(bot: Harness) -> None:
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", row_option(listing, "edit:"), view=listing))
    assert form["callback_id"] == "forward_edit_form"
    saved = bot.latest_view(
        await bot.submit("alice", form, {"phone": "(415) 555-0124", "label": "mobile"})
    )
    assert "Changed *Mobile*" in json.dumps(saved)
    assert bot.rc.extensions[ALICE_EXT].forwarding[0].phone == "+14155550124"

    confirm = bot.latest_view(await bot.click("alice", row_option(saved, "remove:"), view=saved))
    assert confirm["callback_id"] == "forward_remove_confirm"
    done = bot.latest_view(await bot.submit("alice", confirm, {}))
    assert "Removed *Mobile*" in json.dumps(done)
    assert "+14155550124" not in [n.phone for n in bot.rc.extensions[ALICE_EXT].forwarding]


async def test_a_view_submitted_by_someone_else_does_nothing(bot: Harness) -> None:
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", button(listing, "forward_add"), view=listing))
    reply = await bot.submit("bob", form, {"phone": "(650) 555-0166", "label": "Sneaky"})
    assert reply.status == 200
    assert "+16505550166" not in [n.phone for n in bot.rc.extensions[ALICE_EXT].forwarding]
    forged = {
        **form,
        "private_metadata": json.dumps({"opener": user_id("bob"), "subject": user_id("alice")}),
    }
    await bot.submit("bob", forged, {"phone": "(650) 555-0167", "label": "Forged"})
    assert "+16505550167" not in [n.phone for n in bot.rc.extensions[ALICE_EXT].forwarding]
    assert [r.action for r in await bot.audit_rows()] == ["link.email"]


async def test_admin_picks_another_user(bot: Harness) -> None:
    _, listing = await open_list(bot, "admin")
    picker = button(listing, "forward_pick_user")
    reply = await bot.click(
        "admin", {**picker, "type": "users_select", "selected_user": user_id("bob")}, view=listing
    )
    view = bot.latest_view(reply)
    assert "(212) 555-0142" in json.dumps(view)  # bob's mobile
    assert json.loads(view["private_metadata"])["subject"] == user_id("bob")
