"""/forward by slash command, end to end: what the user reads and what RingCentral holds."""

from __future__ import annotations

import json

import pytest

from bot.devkit.shell import payloads
from tests.helpers.harness import Harness, Reply, user_id

ALICE_EXT = 2263488004
BOB_EXT = 2263489004


def phones(bot: Harness, ext: int = ALICE_EXT) -> list[str]:
    return [n.phone for n in bot.rc.extensions[ext].forwarding]


async def test_list_shows_label_type_national_number_and_flip(bot: Harness) -> None:
    reply = await bot.command("alice", "/forward", "list")
    assert "RingCentral ext `102`" in reply.text
    assert "*Mobile* · `(415) 555-0123` · forwarding, flip `1`" in reply.text
    assert "*Desk phone* · PhoneLine" in reply.text


async def test_add_edit_remove_round_trip_with_audit(bot: Harness) -> None:
    added = await bot.command("alice", "/forward", "add (650) 555-0199 Front desk")
    assert "Added *Front desk* `(650) 555-0199`" in added.text
    assert "+16505550199" in phones(bot)
    assert any(c.method == "views.publish" for c in added.calls)  # App Home refreshed

    edited = await bot.command("alice", "/forward", "edit front desk 650.555.0198 Lobby")
    assert "Changed *Front desk* `(650) 555-0199` to *Lobby* `(650) 555-0198`" in edited.text
    assert "+16505550198" in phones(bot)

    removed = await bot.command("alice", "/forward", "remove lobby")
    assert "Removed *Lobby*" in removed.text
    assert "+16505550198" not in phones(bot)

    rows = await bot.audit_rows()
    assert [r.action for r in rows] == [
        "forwarding.remove",
        "forwarding.edit",
        "forwarding.add",
        "link.email",
    ]
    assert rows[1].before["label"] == "Front desk"
    assert rows[1].after["label"] == "Lobby"


async def test_type_words_pick_the_type(bot: Harness) -> None:
    await bot.command("bob", "/forward", "add +1 212 555 0100 work")
    work = [n for n in bot.rc.extensions[BOB_EXT].forwarding if n.phone == "+12125550100"]
    assert [(n.type, n.label) for n in work] == [("Work", "Work")]
    again = await bot.command("bob", "/forward", "add +1 212 555 0101 mobile")
    assert "RingCentral refused a second number of that type" in again.text


async def test_the_same_trigger_delivered_twice_changes_once(bot: Harness) -> None:
    body = payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/forward",
        text="add 650 555 0111 Twice",
        response_url=bot.slack.response_url(),
    )
    first = await bot.signed(body)
    second = await bot.signed(body)
    assert "Added" in first.text
    assert second.text == ""  # the replay is acknowledged and says nothing
    assert phones(bot).count("+16505550111") == 1
    assert bot.rc_faults.count("POST", "/forwarding-number") == 1
    assert [r.action for r in await bot.audit_rows()].count("forwarding.add") == 1


async def test_bad_input_changes_nothing(bot: Harness) -> None:
    before = phones(bot)
    cases = {
        "add 555 0100": "isn't a valid phone number",
        "add 911": "emergency or short number",
        "add hello": "doesn't look like a phone number",
        "add 650 555 0122 " + "x" * 61: "60 characters at most",
        "add (650) 555-0103": "someone in your company",  # carol's direct number
        "edit nobody 650 555 0100": "No number matches `nobody`",
        "remove": "Usage",
    }
    for text, expected in cases.items():
        reply = await bot.command("alice", "/forward", text)
        assert expected in reply.text, (text, reply.text)
        assert "Traceback" not in reply.text
    assert phones(bot) == before
    assert [r.action for r in await bot.audit_rows()] == ["link.email"]


async def test_unknown_label_lists_the_numbers_to_choose_from(bot: Harness) -> None:
    reply = await bot.command("alice", "/forward", "remove studio")
    assert "No number matches `studio`; pick one of these:" in reply.text
    assert "*Mobile*" in reply.text
    assert len(phones(bot)) == 3


async def test_eleventh_number_is_refused_before_any_create(bot: Harness) -> None:
    for i in range(7):
        await bot.command("alice", "/forward", f"add 415 555 {1000 + i} n{i}")
    posts = bot.rc_faults.count("POST", "/forwarding-number")
    reply = await bot.command("alice", "/forward", "add 415 555 2000 eleven")
    assert "You already have 10 numbers" in reply.text
    assert bot.rc_faults.count("POST", "/forwarding-number") == posts


async def test_others_lines_need_admin_and_are_refused_before_provider_calls(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    calls = bot.rc_faults.count("")
    refused = await bot.command("alice", "/forward", f"list <@{user_id('bob')}>")
    assert "Only Switchboard admins" in refused.text
    refused = await bot.command("alice", "/forward", f"add <@{user_id('bob')}> 650 555 0100")
    assert "Only Switchboard admins" in refused.text
    assert bot.rc_faults.count("") == calls
    allowed = await bot.command("admin", "/forward", f"list <@{user_id('bob')}>")
    assert f"<@{user_id('bob')}>'s forwarding numbers" in allowed.text
    stranger = await bot.command("admin", "/forward", f"list <@{user_id('mallory')}>")
    assert "isn't linked to a phone line" in stranger.text


async def test_labels_are_escaped_when_shown(bot: Harness) -> None:
    # Real Slack sends a typed @channel as `<!channel>`: read back as inert text, never pinged
    await bot.command("alice", "/forward", "add 650 555 0144 <!channel>")
    await bot.command("alice", "/forward", "add 650 555 0145 a<b>&c")
    reply = await bot.command("alice", "/forward", "list")
    assert "*@channel*" in reply.text
    assert "a&lt;b&gt;&amp;c" in reply.text
    assert "<!channel>" not in json.dumps([c.args for c in reply.calls])


async def test_help_and_nonsense_show_usage(bot: Harness) -> None:
    for text in ("help", "frobnicate", "list extra words"):
        reply = await bot.command("alice", "/forward", text)
        assert "/forward" in reply.text
        assert "Traceback" not in reply.text


@pytest.mark.slow  # waits out slow providers or retries on purpose
async def test_slow_provider_acks_first_and_answers_by_response_url(bot: Harness) -> None:
    bot.rc_faults.latency = 0.5
    reply = await bot.command("alice", "/forward", "list")
    assert reply.status == 200
    assert reply.body is None  # the ack carried nothing; the answer came later
    assert any(c.method == "response_url" and "Mobile" in c.args["text"] for c in reply.calls)


def home_text(reply: Reply) -> str:
    views = [c.args["view"] for c in reply.calls if c.method == "views.publish"]
    assert views, "the App Home was not refreshed"
    return json.dumps(views[-1])


async def test_changes_refresh_the_home_without_reading_the_list_twice(bot: Harness) -> None:
    lists = "/forwarding-number"
    before = bot.rc_faults.count("GET", lists)
    added = await bot.command("alice", "/forward", "add (650) 555-0199 Front desk")
    assert "(650) 555-0199" in home_text(added)
    edited = await bot.command("alice", "/forward", "edit front desk 650.555.0198")
    assert "(650) 555-0198" in home_text(edited)
    assert "555-0199" not in home_text(edited)
    removed = await bot.command("alice", "/forward", "remove front desk")
    assert "555-0198" not in home_text(removed)
    assert bot.rc_faults.count("GET", lists) == before + 3  # one read per change, no more


async def test_a_command_mentioning_payload_still_works(bot: Harness) -> None:
    # Bolt looks for an interactive `payload` by substring in the raw form body.
    added = await bot.command("alice", "/forward", "add (650) 555-0199 payload desk")
    assert "Added *payload desk*" in added.text
