"""/transfer end to end on RingCentral and VoipNow emulators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.devkit.shell import payloads
from tests.helpers.emulated import SESSION, link_dave, rc_moves, vn
from tests.helpers.harness import Harness, user_id


@pytest.mark.parametrize(
    ("text", "expected_move", "confirmation"),
    [
        ("+1 (415) 555-0100", {"phoneNumber": "+14155550100"}, "`(415) 555-0100`"),
        ("103", {"extensionNumber": "103"}, "extension `103`"),
        ("voicemail", {"voicemail": "2263488004"}, "voicemail"),
    ],
)
async def test_ringcentral_transfer_destinations(
    bot: Harness, text: str, expected_move: dict[str, str], confirmation: str
) -> None:
    presence_reads = bot.rc_faults.count("GET", "/presence")
    reply = await bot.command("alice", "/transfer", text)
    assert f"Transferred your call with Jordan Lee at (408) 555-0111 to {confirmation}" in reply.text
    moves = rc_moves(bot)
    assert len(moves) == 1
    # RingCentral's 200 settles it: the call is found once and not looked for again.
    assert bot.rc_faults.count("GET", "/presence") == presence_reads + 1
    assert {k: v for k, v in moves[0].items() if k in expected_move} == expected_move
    rows = await bot.audit_rows()
    assert rows[0].action == "transfer"
    assert rows[0].before["call"] == SESSION


async def test_transfer_to_a_colleague_uses_their_extension(bot: Harness) -> None:
    await bot.command("bob", "/switchboard", "whoami")  # bob links by email
    reply = await bot.command("alice", "/transfer", f"<@{user_id('bob')}|bob>")
    assert "(ext `103`)" in reply.text
    assert rc_moves(bot)[0]["extensionId"] == "2263489004"


async def test_flip_to_a_forwarding_number(bot: Harness) -> None:
    reply = await bot.command("alice", "/transfer", "flip home")
    assert "*Home*" not in reply.text  # label shown plainly
    assert "Transferred your call" in reply.text
    assert rc_moves(bot)[0] == {
        "kind": "flip",
        "party": "p-a7f3c1e2d4b5-2",
        "callFlipId": "*2",  # the developer guide's form
        "to": "+14155550188",
    }


async def test_no_call_and_ended_call(bot: Harness) -> None:
    reply = await bot.command("bob", "/transfer", "104")
    assert "You have no call to transfer right now." in reply.text
    bot.rc.sessions[SESSION].parties[1].status = "Disconnected"
    reply = await bot.command("alice", "/transfer", "104")
    assert "no call to transfer" in reply.text


async def test_a_ringing_call_cannot_move(bot: Harness) -> None:
    bot.rc.sessions[SESSION].parties[1].status = "Proceeding"
    reply = await bot.command("alice", "/transfer", "104")
    assert "isn't answered yet" in reply.text
    assert rc_moves(bot) == []


async def test_invalid_destination_shows_usage_without_provider_calls(bot: Harness) -> None:
    before = bot.rc_faults.count("")
    for text in ("help", "the moon", "flip"):
        reply = await bot.command("alice", "/transfer", text)
        assert "/transfer" in reply.text
    assert bot.rc_faults.count("") == before


async def test_replayed_command_transfers_once(bot: Harness) -> None:
    body = payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/transfer",
        text="104",
        response_url=bot.slack.response_url(),
    )
    first = await bot.signed(body)
    second = await bot.signed(body)
    assert "Transferred" in first.text
    assert "Transferred" not in second.text
    assert bot.rc_faults.count("POST", "/transfer") == 1
    assert [r.action for r in await bot.audit_rows()].count("transfer") == 1


async def test_a_5xx_is_never_resent_and_the_truth_is_told(bot: Harness) -> None:
    bot.rc_faults.add("POST /transfer=503")
    reply = await bot.command("alice", "/transfer", "104")
    assert "couldn't confirm" in reply.text
    assert bot.rc_faults.count("POST", "/transfer") == 1


async def test_admin_transfers_for_another_user_and_it_is_audited(bot: Harness) -> None:
    refused = await bot.command("bob", "/transfer", f"for <@{user_id('alice')}> to 104")
    assert "Only Switchboard admins" in refused.text
    reply = await bot.command("admin", "/transfer", f"for <@{user_id('alice')}> to 104")
    assert f"Transferred <@{user_id('alice')}>'s call" in reply.text
    rows = await bot.audit_rows()
    assert (rows[0].action, rows[0].actor, rows[0].subject) == (
        "transfer.for",
        user_id("admin"),
        user_id("alice"),
    )


def _picked(form: dict[str, Any], kind: str, chosen: dict[str, Any], to: str) -> bytes:
    """Alice submits the transfer form with `chosen` picked in its `kind` of picker."""
    values = {
        "call": {"value": {"type": kind, "selected_option": chosen}},
        "destination": {"value": {"type": "plain_text_input", "value": to}},
    }
    return payloads.view_submission(
        user_id=user_id("alice"), user_name="alice", view=form, values=values
    )


async def test_several_calls_offer_a_picker_and_the_submission_transfers_once(bot: Harness) -> None:
    from bot.devkit.ringcentral.telephony import seeded_call

    second = seeded_call(2263488004, "+16505550102")
    second.id = "s-second"
    for party in second.parties:
        party.id = party.id.replace("a7f3c1e2d4b5", "second")
        party.from_number, party.from_name = "+12065550100", "Riley Park"
    bot.rc.sessions[second.id] = second
    bot.slack.trigger_lifetime = 0.0  # the command's trigger is never needed after the calls are read
    reply = await bot.command("alice", "/transfer", "104")
    assert "2 live calls" in reply.text
    assert not bot.slack.views
    bot.slack.trigger_lifetime = 3.0
    pick = next(c for c in reply.calls if c.method == "response_url").args["blocks"][1]["elements"][0]
    opened = await bot.click("alice", pick)  # its own trigger: the picker opens at once
    form = bot.latest_view(opened)
    assert form["callback_id"] == "transfer_form"
    options = form["blocks"][0]["element"]["options"]
    assert len(options) == 2
    assert form["blocks"][1]["element"]["initial_value"] == "104"
    chosen = next(o for o in options if "Riley" in o["text"]["text"])
    body = _picked(form, "radio_buttons", chosen, "104")
    done = await bot.signed(body)
    await bot.signed(body)  # delivered twice
    shown = [c.args["view"] for c in done.calls if c.method == "views.update"]
    assert "Transferred your call with Riley Park" in json.dumps(shown)
    assert bot.rc_faults.count("POST", "/transfer") == 1
    assert bot.rc.sessions["s-second"].moves
    assert not bot.rc.sessions[SESSION].moves


async def test_more_calls_than_radio_buttons_take_are_offered_in_a_select(bot: Harness) -> None:
    from bot.devkit.ringcentral.telephony import seeded_call

    for n in range(11):  # twelve live calls with the seeded one: Slack's radio buttons take 10
        extra = seeded_call(2263488004, "+16505550102")
        extra.id = f"s-extra-{n}"
        for party in extra.parties:
            party.id = party.id.replace("a7f3c1e2d4b5", f"extra{n}")
            party.from_number, party.from_name = f"+120655501{n:02d}", f"Caller {n}"
        bot.rc.sessions[extra.id] = extra
    reply = await bot.command("alice", "/transfer", "104")
    assert "12 live calls" in reply.text
    pick = next(c for c in reply.calls if c.method == "response_url").args["blocks"][1]["elements"][0]
    form = bot.latest_view(await bot.click("alice", pick))
    picker = form["blocks"][0]["element"]
    assert picker["type"] == "static_select"
    assert len(picker["options"]) == 12
    chosen = next(o for o in picker["options"] if "Caller 7" in o["text"]["text"])
    done = await bot.signed(_picked(form, picker["type"], chosen, "104"))
    shown = [c.args["view"] for c in done.calls if c.method == "views.update"]
    assert "Transferred your call with Caller 7" in json.dumps(shown)
    assert bot.rc.sessions["s-extra-7"].moves


async def test_voipnow_transfer_and_voicemail(bot: Harness) -> None:
    await link_dave(bot)
    reply = await bot.command("dave", "/transfer", "0003*024")
    assert "Transferred your call with Sam Carter" in reply.text
    state = vn(bot).emulator_state
    assert state.moves == [
        {"call": "b817d2618fe6f1804333", "action": "Transfer", "to": "0003*024", "from": "0003*210"}
    ]
    again = await bot.command("dave", "/transfer", "voicemail")
    assert "no call to transfer" in again.text


async def test_voipnow_voicemail_and_flip_is_refused(bot: Harness) -> None:
    await link_dave(bot)
    flip = await bot.command("dave", "/transfer", "flip mobile")
    assert "Call flip is a RingCentral feature" in flip.text
    reply = await bot.command("dave", "/transfer", "voicemail")
    assert "to voicemail" in reply.text
    assert vn(bot).emulator_state.moves[0]["action"] == "TransferToVoicemail"


@pytest.mark.parametrize(
    ("fault_body", "sentence"),
    [
        ("pc_phoncall_invalid", "already ended"),
        ("pc_sendcallto_invalid", "rejected that destination"),
        ("pc_transfer_from_number_invalid", "couldn't transfer that call"),
        ("pc_transfer_number_invalid", "couldn't transfer that call"),
    ],
)
async def test_voipnow_error_codes_become_sentences(
    bot: Harness, fault_body: str, sentence: str
) -> None:
    await link_dave(bot)
    fault = vn(bot).faults.add("PUT /uapi/phoneCalls=400")
    fault.body = {"error": {"code": fault_body, "message": "echo apiKey=sekrit"}}
    reply = await bot.command("dave", "/transfer", "0003*024")
    assert sentence in reply.text
    assert "sekrit" not in reply.text


SHORT_CODES = ["999", "000", "110", "119", "411", "611", "211", "811", "3617", "1 900"]


async def test_short_codes_of_every_country_are_never_sent_as_extensions(bot: Harness) -> None:
    await link_dave(bot)
    for code in SHORT_CODES:
        for who in ("alice", "dave"):
            reply = await bot.command(who, "/transfer", code)
            assert "emergency or short number" in reply.text, (who, code, reply.text)
    assert rc_moves(bot) == []
    assert vn(bot).emulator_state.moves == []
    assert vn(bot).faults.count("PUT") == 0


async def test_an_extension_must_be_in_the_ringcentral_directory(bot: Harness) -> None:
    reply = await bot.command("alice", "/transfer", "555")
    assert "isn't an extension in RingCentral's directory" in reply.text
    directory = "GET /restapi/v1.0/account/~/extension"
    listed = bot.rc_faults.requests[directory]
    again = await bot.command("alice", "/transfer", "556")
    assert "isn't an extension" in again.text
    assert rc_moves(bot) == []
    # the directory is kept, not read again (Medium requests on the administrator's bucket)
    assert bot.rc_faults.requests[directory] == listed
    fine = await bot.command("alice", "/transfer", "103")
    assert "Transferred your call" in fine.text


async def test_an_extension_must_be_in_the_voipnow_organization(bot: Harness) -> None:
    await link_dave(bot)
    for typed in ("0003*555", "555", "0009*024"):
        reply = await bot.command("dave", "/transfer", typed)
        assert "isn't an extension" in reply.text, (typed, reply.text)
    assert vn(bot).faults.count("PUT") == 0
    short = await bot.command("dave", "/transfer", "024")  # the short form, in dave's organization
    assert "Transferred your call with Sam Carter" in short.text
    assert vn(bot).emulator_state.moves[0]["to"] == "0003*024"


async def test_the_callers_own_direct_number_is_refused_like_their_extension(bot: Harness) -> None:
    for typed in ("+1 650 555 0102", "(650) 555-0102", "102"):
        reply = await bot.command("alice", "/transfer", typed)
        assert "already on" in reply.text, (typed, reply.text)
    assert rc_moves(bot) == []
    other = await bot.command("alice", "/transfer", "+1 650 555 0101")  # the admin's direct number
    assert "Transferred your call" in other.text


async def test_transfer_for_someone_tells_them_by_dm(bot: Harness) -> None:
    reply = await bot.command("admin", "/transfer", f"for <@{user_id('alice')}> to 103")
    assert "Transferred" in reply.text
    dms = [
        str(c.args.get("text"))
        for c in reply.calls
        if c.method == "chat.postMessage" and c.args.get("channel") == user_id("alice")
    ]
    assert len(dms) == 1, dms
    assert f"<@{user_id('admin')}>" in dms[0]
    assert "Jordan Lee" in dms[0]
    assert "extension `103`" in dms[0]
