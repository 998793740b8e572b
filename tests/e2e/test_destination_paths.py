"""docs/contract.md "Destinations" on every path calls can take: commands, modal values, buttons,
on-call numbers and transfers. A refusal names its reason; nothing reaches the provider."""

from __future__ import annotations

import json

import pytest

from bot.devkit.shell import payloads
from tests.helpers.emulated import ALICE_EXT, custom_rules
from tests.helpers.harness import Harness, user_id

SESSION = "s-a7f3c1e2d4b5"
TOLL_FRAUD = {
    "+1 900 555 0100": "premium-rate",
    "+44 909 879 0000": "premium-rate",
    "+7 809 505 1234": "premium-rate",
    "1-800-FLOWERS": "letters",
    "911": "emergency or short",
    "+44 20 7946 0958": "United Kingdom",
}


def provider_writes(bot: Harness) -> int:
    return sum(bot.rc_faults.count(m) for m in ("POST", "PUT", "PATCH", "DELETE"))


@pytest.mark.parametrize(("number", "reason"), list(TOLL_FRAUD.items()))
async def test_commands_refuse_each_risky_destination(bot: Harness, number: str, reason: str) -> None:
    await bot.command("alice", "/forward", "list")
    writes = provider_writes(bot)
    for command, text in (
        ("/forward", f"add {number} Trip"),
        ("/forward", f"to {number} for 1h"),
        ("/oncall", f"number {number}"),
        ("/transfer", number),
    ):
        reply = await bot.command("alice", command, text)
        assert reason in reply.text, (command, text, reply.text)
        assert "\n" not in reply.text.strip() or command == "/transfer", reply.text
    assert provider_writes(bot) == writes
    assert bot.rc.sessions[SESSION].moves == []


async def test_emergency_number_with_a_label_is_not_read_as_keypad_letters(bot: Harness) -> None:
    reply = await bot.command("alice", "/forward", "add 112 Emergency")
    assert "emergency or short number" in reply.text
    ext = await bot.command("alice", "/forward", "add 415 555 0111 ext 23 Reception")
    assert "extension part" in ext.text
    assert not any(n.phone.startswith("+1415555011") for n in bot.rc.extensions[ALICE_EXT].forwarding)


async def test_forged_toggle_menu_value_is_refused(bot: Harness) -> None:
    opened = await bot.command("alice", "/forward", "")
    modal_id = next(str(c.args.get("view_id")) for c in opened.calls if c.method == "views.update")
    meta = bot.slack.views[modal_id]["private_metadata"]
    view = {
        "id": "VFORGE",
        "hash": "1.x",
        "type": "modal",
        "callback_id": "forward_toggle_form",
        "private_metadata": meta,
    }
    values = {
        "target": {"value": {"type": "static_select", "selected_option": {"value": "+19005550100"}}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": "for 2h"}}},
    }
    body = payloads.view_submission(
        user_id=user_id("alice"), user_name="alice", view=view, values=values
    )
    reply = await bot.signed(body)
    shown = json.dumps([c.args for c in reply.calls if c.method == "views.update"])
    assert "premium-rate" in shown
    assert custom_rules(bot) == []


async def test_forged_transfer_modal_value_is_refused(bot: Harness) -> None:
    view = {
        "id": "VXFER",
        "hash": "1.y",
        "type": "modal",
        "callback_id": "transfer_form",
        "private_metadata": json.dumps({"opener": user_id("alice"), "subject": user_id("alice")}),
    }
    values = {
        "call": {
            "value": {"type": "radio_buttons", "selected_option": {"value": f"ringcentral:{SESSION}"}}
        },
        "destination": {"value": {"type": "plain_text_input", "value": "+1 900 555 0100"}},
    }
    body = payloads.view_submission(
        user_id=user_id("alice"), user_name="alice", view=view, values=values
    )
    reply = await bot.signed(body)
    assert reply.body is not None
    assert "premium-rate" in json.dumps(reply.body)
    assert bot.rc.sessions[SESSION].moves == []


async def test_a_premium_mobile_set_in_ringcentral_is_never_an_on_call_target(bot: Harness) -> None:
    from tests.helpers.oncall import create_rotation, hotline_forwards_to

    bob = bot.rc.extensions[2263489004]
    mobile = next(n for n in bob.forwarding if n.type == "Mobile")
    mobile.phone = "+19005550142"  # changed in RingCentral's own app
    await create_rotation(bot, members=[user_id("bob")])
    await bot.runtime.handoffs.tick()
    assert hotline_forwards_to(bot) is None
    texts = [c.args["text"] for c in bot.slack.of("chat.postMessage")]
    assert any("at risk" in t for t in texts)


async def test_every_country_can_be_allowed_but_premium_never(sqlite_url: str) -> None:
    from tests.helpers.harness import start_harness

    bot = await start_harness(sqlite_url, switchboard_allowed_countries="*")
    try:
        fine = await bot.command("alice", "/forward", "to +44 20 7946 0958 for 1h")
        assert "All calls now go to" in fine.text
        premium = await bot.command("alice", "/forward", "to +44 909 879 0000")
        assert "premium-rate" in premium.text
    finally:
        await bot.close()


async def test_post_dial_digits_are_refused_on_every_command_and_never_dropped(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    writes = provider_writes(bot)
    for command, text in (
        ("/forward", "add 415 555 0123,,9 Desk"),
        ("/forward", "add 415 555 0123 p9 Desk"),
        ("/forward", "add 415 555 0123 ;9"),
        ("/forward", "to 415 555 0123,,9 for 1h"),
        ("/oncall", "number 415 555 0123;9"),
        ("/transfer", "415 555 0123,,9"),
    ):
        reply = await bot.command("alice", command, text)
        assert "post-dial" in reply.text, (command, text, reply.text)
    assert provider_writes(bot) == writes
    assert bot.rc.sessions[SESSION].moves == []
    positive = await bot.command("alice", "/forward", "add 415 555 0177 Desk")
    assert "Desk" in positive.text
