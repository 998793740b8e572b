"""Text from outside (a caller's name, a provider's label, a Slack display name) is shown as
text everywhere: `<!channel>`, `<https://…|…>` and `<@U…>` in it never reach Slack as a
mention or a link (docs/contract.md "Destinations and text from outside")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.devkit.ringcentral.state import ForwardingNumber
from bot.devkit.shell import payloads
from bot.devkit.shell.standin import Call
from tests.helpers.emulated import ALICE_EXT, HOTLINE_EXT, SESSION, link_dave, vn
from tests.helpers.harness import Harness, user_id
from tests.helpers.live_calls import live
from tests.helpers.oncall import create_rotation

HOSTILE = "<!channel> <https://evil.example/reset|IT Helpdesk> <@UEVIL01>"
LIVE = ("<!channel>", "<https://evil.example", "<@UEVIL01")
BOB_EXT = 2263489004


def rendered(value: Any) -> list[str]:
    """The mrkdwn a Slack client would render: a message's `text` and every mrkdwn text
    object (plain_text shows `<!channel>` as typed, so it is left as is)."""
    found: list[str] = []
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            found.append(str(value.get("text")))
        for key, inner in value.items():
            if key == "text" and isinstance(inner, str) and value.get("type") is None:
                found.append(inner)  # a message's own text (its notification and fallback)
            elif key not in ("value", "private_metadata", "initial_value"):
                found += rendered(inner)
    elif isinstance(value, list):
        for inner in value:
            found += rendered(inner)
    return found


def live_markup(calls: list[Call]) -> list[str]:
    """Every Slack API call whose arguments would render the hostile text as markup."""
    found = []
    for call in calls:
        for text in rendered(call.args):
            found += [f"{call.method}: {text}" for token in LIVE if token in text]
    print("LIVE-MARKUP", *sorted(set(found)), sep="\n  ")
    return found


def hostile_everywhere(bot: Harness) -> None:
    alice = bot.rc.extensions[ALICE_EXT]
    alice.forwarding.append(ForwardingNumber("8123009", "Other", "+14155550177", HOSTILE, "7"))
    bot.rc.extensions[BOB_EXT].name = HOSTILE  # RingCentral's directory name
    bob = bot.slack.users[user_id("bob")]
    bot.slack.users[bob.id] = replace(bob, real_name=HOSTILE)  # Slack's display name
    for party in bot.rc.sessions[SESSION].parties:
        party.from_name = HOSTILE  # the caller id name
    for call in vn(bot).emulator_state.calls.values():
        call.other_name = HOSTILE


async def test_commands_show_outside_text_as_text(bot: Harness) -> None:
    hostile_everywhere(bot)
    await link_dave(bot)
    seen: list[Call] = []
    for who, command, text in (
        ("alice", "/forward", "list"),
        ("alice", "/forward", "status"),
        ("alice", "/forward", "remove nowhere"),
        ("alice", "/transfer", "flip <@UEVIL01>"),
        ("alice", "/transfer", "flip other"),
        ("bob", "/switchboard", "whoami"),
        ("bob", "/forward", "list"),
        ("alice", "/transfer", "103"),
        ("dave", "/transfer", "0003*024"),
    ):
        reply = await bot.command(who, command, text)
        seen += reply.calls
    assert live_markup(seen) == []
    texts = " ".join(str(c.args.get("text")) for c in seen)
    assert "&lt;!channel&gt;" in texts  # shown, as text


async def test_an_admin_transfer_and_its_dm_show_the_caller_as_text(bot: Harness) -> None:
    hostile_everywhere(bot)
    reply = await bot.command("admin", "/transfer", f"for <@{user_id('alice')}> to 103")
    assert "Transferred" in reply.text
    assert live_markup(reply.calls) == []
    audit = await bot.command("admin", "/switchboard", "audit")
    assert live_markup(audit.calls) == []


async def test_the_transfer_window_and_app_home_show_outside_text_as_text(bot: Harness) -> None:
    hostile_everywhere(bot)
    opened = await bot.command("alice", "/transfer", "")
    home = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    modal = await bot.command("alice", "/forward", "")
    assert live_markup(opened.calls + home.calls + modal.calls) == []


async def test_call_cards_and_missed_call_dms_show_the_caller_as_text(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    await create_rotation(bot, members=[user_id("alice")])
    await bot.runtime.handoffs.tick()
    bot.slack.drain()
    hostile_everywhere(bot)
    mine = await bot._rc_app.phone.ring(ALICE_EXT, "+16505550142", HOSTILE)
    hotline = await bot._rc_app.phone.ring(HOTLINE_EXT, "+16505550143", HOSTILE)
    await bot.runtime.tasks.wait_idle()
    await bot._rc_app.phone.hang_up(hotline.id)
    await bot._rc_app.phone.answer(mine.id)
    await bot.runtime.tasks.wait_idle()
    calls = bot.slack.drain()
    assert [c for c in calls if c.method == "chat.postMessage"]
    assert any("missed a call" in str(c.args.get("text")) for c in calls)
    assert live_markup(calls) == []


async def test_a_typed_label_is_stored_as_typed_and_shown_escaped_once(bot: Harness) -> None:
    typed = "R&amp;D &lt;lab&gt;"  # what Slack sends for `R&D <lab>` (should_escape)
    added = await bot.command("alice", "/forward", f"add 650 555 0177 {typed}")
    stored = [n for n in bot.rc.extensions[ALICE_EXT].forwarding if n.phone == "+16505550177"]
    assert [n.label for n in stored] == ["R&D <lab>"]
    listed = await bot.command("alice", "/forward", "list")
    for reply in (added, listed):
        assert "R&amp;D &lt;lab&gt;" in reply.text, reply.text
        assert "&amp;amp;" not in reply.text
        assert "&amp;lt;" not in reply.text
    toggled = await bot.command("alice", "/forward", f"to {typed} for 1h")
    assert "(650) 555-0177" in toggled.text
    await bot.command("alice", "/forward", "off")
    removed = await bot.command("alice", "/forward", f"remove {typed}")
    assert "&amp;amp;" not in removed.text
    assert not [n for n in bot.rc.extensions[ALICE_EXT].forwarding if n.phone == "+16505550177"]


def test_slacks_escaping_is_read_back_exactly_once() -> None:
    from bot.mrkdwn import escape
    from bot.slack.text import read_back

    for typed in ("R&D <lab>", "&lt;", "&amp;amp;", "a > b & c", "<!channel>", "plain"):
        sent = escape(typed)  # what Slack sends for a command with should_escape
        assert read_back(sent) == typed
        assert escape(read_back(sent)) == sent  # shown escaped once
