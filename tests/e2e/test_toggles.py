"""The quick toggle end to end: RingCentral (both call-handling models) and SMSPartner."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.devkit.ringcentral.routing import effective_routing
from bot.devkit.shell import payloads
from bot.lifecycle import scheduler_for
from tests.helpers.emulated import custom_rules
from tests.helpers.harness import Harness, user_id
from tests.helpers.providers import emulators

ALICE, CAROL = 2263488004, 2263490004
TEAM = "+33612345678"


def routing(bot: Harness, ext: int, at: datetime | None = None) -> tuple[str, str | None]:
    found = effective_routing(bot.rc.extensions[ext], at or datetime.now(UTC))
    return found.action, found.to


async def test_legacy_forward_status_and_off(bot: Harness) -> None:
    on = await bot.command("alice", "/forward", "to mobile for 2h")
    assert "All calls now go to `(415) 555-0123` until" in on.text
    assert routing(bot, ALICE) == ("forward", "+14155550123")
    assert routing(bot, ALICE, datetime.now(UTC) + timedelta(hours=3))[0] != "forward"  # self-expiring
    status = await bot.command("alice", "/forward", "status")
    assert "Your calls go to `(415) 555-0123` until" in status.text
    off = await bot.command("alice", "/forward", "off")
    assert "ring as usual again" in off.text
    assert custom_rules(bot) == []
    assert routing(bot, ALICE)[0] != "forward"
    actions = [r.action for r in await bot.audit_rows()]
    assert actions[:2] == ["toggle.off", "toggle.on"]


async def test_new_model_restores_the_exact_snapshot(bot: Harness) -> None:
    ext = bot.rc.extensions[CAROL]
    before = copy.deepcopy((ext.states_v2["forward-all-calls"], ext.state_rules_v2["forward-all-calls"]))
    on = await bot.command("carol", "/forward", "to +33 6 11 22 33 44 for 1h")
    assert "All calls now go to" in on.text
    assert routing(bot, CAROL) == ("forward", "+33611223344")
    assert ext.states_v2["forward-all-calls"]["enabled"] is True
    assert routing(bot, CAROL, datetime.now(UTC) + timedelta(hours=2))[0] == "ring"  # the range is over
    await bot.command("carol", "/forward", "off")
    assert (ext.states_v2["forward-all-calls"], ext.state_rules_v2["forward-all-calls"]) == before


async def test_new_model_refuses_to_stack_on_forward_all_set_elsewhere(bot: Harness) -> None:
    bot.rc.extensions[CAROL].states_v2["forward-all-calls"]["enabled"] = True
    reply = await bot.command("carol", "/forward", "to +33 6 11 22 33 44")
    assert "already on in RingCentral" in reply.text


async def test_timed_revert_happens_once_and_dms_the_user(bot: Harness) -> None:
    await bot.command("alice", "/forward", "voicemail for 30m")
    assert routing(bot, ALICE)[0] == "voicemail"
    scheduler = scheduler_for(bot.runtime)
    assert await scheduler.tick(datetime.now(UTC) + timedelta(minutes=10)) == 0
    bot.slack.drain()
    assert await scheduler.tick(datetime.now(UTC) + timedelta(minutes=31)) == 1
    dms = bot.slack.of("chat.postMessage")
    assert [d.args["channel"] for d in dms] == [user_id("alice")]
    assert "ring as usual again" in dms[0].args["text"]
    assert custom_rules(bot) == []
    assert await scheduler.tick(datetime.now(UTC) + timedelta(minutes=40)) == 0


async def test_a_change_made_in_ringcentral_is_left_alone(bot: Harness) -> None:
    await bot.command("alice", "/forward", "to home for 1h")
    rule = custom_rules(bot)[0]
    rule["unconditionalForwarding"] = {"phoneNumber": "+14155550999"}  # the user edits it in RingCentral
    off = await bot.command("alice", "/forward", "off")
    assert "changed in the provider's app" in off.text
    assert len(custom_rules(bot)) == 1  # not clobbered
    home = next(c.args["view"] for c in off.calls if c.method == "views.publish")
    assert "set outside Switchboard" in json.dumps(home)  # the Home doesn't claim "as usual"


async def test_failed_revert_is_retried_and_offers_a_button(bot: Harness) -> None:
    await bot.command("alice", "/forward", "to mobile for 30m")
    bot.rc_faults.add("DELETE /answering-rule=400x1")
    scheduler = scheduler_for(bot.runtime)
    bot.slack.drain()
    later = datetime.now(UTC) + timedelta(minutes=31)
    assert await scheduler.tick(later) == 1
    dm = bot.slack.of("chat.postMessage")[0]
    assert "couldn't end your call forwarding" in dm.args["text"]
    assert dm.args["blocks"][1]["elements"][0]["action_id"] == "toggle_retry"
    assert await scheduler.tick(later) == 0  # leased until the back-off passes
    assert await scheduler.tick(later + timedelta(minutes=2)) == 1
    assert custom_rules(bot) == []


async def test_replayed_toggle_changes_once(bot: Harness) -> None:
    body = payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/forward",
        text="to mobile",
        response_url=bot.slack.response_url(),
    )
    first = await bot.signed(body)
    second = await bot.signed(body)
    assert "All calls now go to" in first.text
    assert second.text == ""
    assert len(custom_rules(bot)) == 1
    assert bot.rc_faults.count("POST", "/answering-rule") == 1


async def test_bad_durations_and_targets(bot: Harness) -> None:
    for text, expected in {
        "to mobile for ever": "Say how long",
        "to mobile for 45d": "30 days",
        "to": "Usage",
        "to nowhere": "Give a number or one of your labels",
        "off extra": "Usage",
    }.items():
        reply = await bot.command("alice", "/forward", text)
        assert expected in reply.text, (text, reply.text)
    assert custom_rules(bot) == []


async def link_team_number(bot: Harness, number: str = TEAM) -> None:
    reply = await bot.command("admin", "/switchboard", f"link <@{user_id('dave')}> smspartner:{number}")
    assert "virtual number" in reply.text, reply.text


async def test_smspartner_on_change_status_off(bot: Harness) -> None:
    await link_team_number(bot)
    app = emulators(bot.runtime).smspartner
    assert app is not None
    state = app.emulator_state.numbers[TEAM]
    on = await bot.command("dave", "/forward", "to +33 6 99 88 77 66")
    assert "All calls now go to" in on.text
    assert (state.type, state.param) == (1, "+33699887766")
    changed = await bot.command("dave", "/forward", "to +33 6 11 11 11 11 for 1h")
    assert "All calls now go to" in changed.text
    assert (state.type, state.param) == (1, "+33611111111")  # disabled first, so the new target applied
    status = await bot.command("dave", "/forward", "status")
    assert "as last set by Switchboard at" in status.text
    off = await bot.command("dave", "/forward", "off")
    assert "ring as usual again" in off.text
    assert state.type == 0
    assert all("apiKey" not in call for call in app.emulator_state.calls)


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (8, "Give a number"),
        (9, "e-mail address was rejected"),
        (10, "refused Switchboard's configuration"),
        (12, "rejected that number"),
        (13, "doesn't exist at SMSPartner"),
        (14, "isn't enabled for this virtual number"),
        (15, "deactivated"),
        (99, "couldn't change the forwarding"),
    ],
)
async def test_smspartner_error_codes_become_sentences(bot: Harness, code: int, sentence: str) -> None:
    await link_team_number(bot)
    app = emulators(bot.runtime).smspartner
    assert app is not None
    fault = app.faults.add("POST /v1/vn/callforward=400")
    fault.body = {"success": False, "code": code, "message": "echo of apiKey=emulator"}
    reply = await bot.command("dave", "/forward", "to +33 6 99 88 77 66")
    assert sentence in reply.text
    assert "apiKey" not in reply.text


async def test_switch_in_the_modal_and_off_from_the_app_home(bot: Harness) -> None:
    from tests.helpers.modal import button, open_list

    _, listing = await open_list(bot)
    assert "ring as usual" in str(listing["blocks"])
    assert "forward_toggle_off" not in str(listing["blocks"])  # nothing on: no "Turn off"
    form = bot.latest_view(
        await bot.click("alice", button(listing, "forward_toggle_open"), view=listing)
    )
    assert form["callback_id"] == "forward_toggle_form"
    assert "*Now*: Your calls ring as usual." in str(form["blocks"])  # the current state
    block = {b.get("block_id"): b for b in form["blocks"]}
    target, duration = block["target"]["element"], block["duration"]["element"]
    values = {
        "target": {"value": {"type": "static_select", "selected_option": target["options"][0]}},
        "duration": {"value": {"type": "static_select", "selected_option": duration["initial_option"]}},
    }
    body = payloads.view_submission(
        user_id=user_id("alice"), user_name="alice", view=form, values=values
    )
    done = await bot.signed(body)
    confirmed = str([c.args for c in done.calls if c.method == "views.update"])
    assert "All calls now go to `(415) 555-0123` until" in confirmed  # the end time kept
    assert routing(bot, ALICE) == ("forward", "+14155550123")

    home = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    published = next(c.args["view"] for c in home.calls if c.method == "views.publish")
    published = {**published, "id": "VHOME", "hash": "1.h"}
    assert "go to" in str(published["blocks"])
    off = next(
        {**e, "block_id": b.get("block_id", "")}
        for b in published["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == "forward_toggle_off"
    )
    await bot.click("alice", off, view=published)
    assert custom_rules(bot) == []


async def test_the_switch_in_someone_elses_window_does_nothing(bot: Harness) -> None:
    from tests.helpers.modal import button, open_list

    _, listing = await open_list(bot)
    reply = await bot.click("bob", button(listing, "forward_toggle_open"), view=listing)
    assert reply.status == 200
    assert [c.method for c in reply.calls if c.method.startswith("views.")] == []
    assert bot.slack.views[listing["id"]]["callback_id"] == listing["callback_id"]  # unchanged


async def test_the_window_takes_a_typed_number_and_an_until_time(bot: Harness) -> None:
    from tests.helpers.modal import button, open_list

    _, listing = await open_list(bot)
    form = bot.latest_view(
        await bot.click("alice", button(listing, "forward_toggle_open"), view=listing)
    )
    block = {b.get("block_id"): b for b in form["blocks"]}
    values = {
        "target": {
            "value": {
                "type": "static_select",
                "selected_option": block["target"]["element"]["options"][0],
            }
        },
        "typed_number": {"value": {"type": "plain_text_input", "value": "+1 650 555 0144"}},
        "duration": {
            "value": {
                "type": "static_select",
                "selected_option": block["duration"]["element"]["initial_option"],
            }
        },
        "typed_until": {"value": {"type": "plain_text_input", "value": "23:59"}},
    }
    done = await bot.signed(
        payloads.view_submission(user_id=user_id("alice"), user_name="alice", view=form, values=values)
    )
    confirmed = str([c.args for c in done.calls if c.method == "views.update"])
    assert "All calls now go to `(650) 555-0144` until 23:59" in confirmed
    assert routing(bot, ALICE) == ("forward", "+16505550144")
    refused = {
        **values,
        "typed_number": {"value": {"type": "plain_text_input", "value": "+1 900 555 0100"}},
    }
    again = bot.latest_view(
        await bot.click("alice", button(listing, "forward_toggle_open"), view=listing)
    )
    premium = await bot.signed(
        payloads.view_submission(user_id=user_id("alice"), user_name="alice", view=again, values=refused)
    )
    assert ":warning:" in str([c.args for c in premium.calls if c.method == "views.update"])
