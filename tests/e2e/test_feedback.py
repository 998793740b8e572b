"""docs/contract.md "Everyday on-call and feedback": answers that say what was wrong and what to do."""

from __future__ import annotations

import time

import pytest

from tests.helpers.emulated import link_dave, rc_moves
from tests.helpers.harness import Harness, Reply, user_id


async def test_an_almost_right_command_word_gets_a_suggestion_and_the_usage(bot: Harness) -> None:
    for command, typed, meant in (
        ("/forward", "lsit", "list"),
        ("/switchboard", "whomai", "whoami"),
        ("/oncall", "tkae me", "take"),
    ):
        reply = await bot.command("alice", command, typed)
        assert f"Did you mean `{meant}`?" in reply.text, reply.text
        assert "`/" in reply.text  # and the usage


async def test_an_unknown_rotation_word_shows_the_usage(bot: Harness) -> None:
    from tests.helpers.oncall import create_rotation

    await create_rotation(bot)
    reply = await bot.command("alice", "/oncall", "frobnicate")
    assert "There is no rotation `frobnicate`" in reply.text
    assert "/oncall take" in reply.text


async def test_a_transfer_to_the_calls_own_line_is_refused(bot: Harness) -> None:
    for text in (f"<@{user_id('alice')}|alice>", "102"):
        reply = await bot.command("alice", "/transfer", text)
        assert "already on" in reply.text, reply.text
    assert rc_moves(bot) == []


async def test_flip_to_an_unknown_label_lists_the_labels_with_flip_digits(bot: Harness) -> None:
    reply = await bot.command("alice", "/transfer", "flip garage")
    assert "No forwarding number is called `garage`" in reply.text
    assert "`Mobile` (1)" in reply.text
    assert rc_moves(bot) == []


async def test_capability_sentences_name_the_provider(bot: Harness) -> None:
    await link_dave(bot)
    reply = await bot.command("dave", "/forward", "to +1 650 555 0100")
    assert "VoipNow can't forward all calls" in reply.text


async def test_duration_errors_say_what_was_wrong(bot: Harness) -> None:
    for typed, expected in (
        ("to mobile for 1.5h", "say `for 90m`"),
        ("to mobile until 25:00", "isn't a time of day"),
        ("to mobile for 30", "needs a unit"),
        ("to mobile for ever", "Say how long"),
    ):
        reply = await bot.command("alice", "/forward", typed)
        assert expected in reply.text, (typed, reply.text)


@pytest.mark.slow  # waits out slow providers or retries on purpose
async def test_a_slow_provider_gets_a_progress_line_within_two_seconds(bot: Harness) -> None:
    """docs/contract.md: an answer within 2 s, or a short progress line within 2 s, then the answer."""
    await bot.command("alice", "/forward", "list")  # linked first
    bot.rc_faults.latency = 3.0
    started = time.monotonic()
    reply = await bot.command("alice", "/forward", "list")
    answers = [c for c in reply.calls if c.method == "response_url"]
    assert len(answers) == 2
    progress, final = answers
    assert "Working on it" in progress.args["text"]
    assert progress.at - started < 2.0
    assert "Mobile" in final.args["text"]  # the answer follows it
    bot.rc_faults.latency = 0.0
    fast = await bot.command("alice", "/forward", "list")
    assert not any("Working on it" in t for t in fast.texts())  # a quick answer has none


def _dms_to(reply: Reply, name: str) -> list[str]:
    return [
        str(c.args["text"])
        for c in reply.calls
        if c.method == "chat.postMessage" and c.args["channel"] == user_id(name)
    ]


async def test_an_admins_change_on_my_line_is_told_to_me(bot: Harness) -> None:
    """docs/contract.md: when an admin changes a user's line, that user is told by DM who changed what."""
    admin = f"<@{user_id('admin')}>"
    added = await bot.command("admin", "/forward", f"add <@{user_id('bob')}> +1 415 555 0177 Desk")
    assert any(
        f"{admin} added the forwarding number `(415) 555-0177`" in t for t in _dms_to(added, "bob")
    )
    forwarded = await bot.command("admin", "/forward", f"to mobile <@{user_id('bob')}>")
    assert any(
        f"{admin} turned on forwarding to `(212) 555-0142`" in t for t in _dms_to(forwarded, "bob")
    )
    off = await bot.command("admin", "/forward", f"off <@{user_id('bob')}>")
    assert any(f"{admin} turned off the forwarding" in t for t in _dms_to(off, "bob"))
    linked = await bot.command("admin", "/switchboard", f"link <@{user_id('carol')}> 104")
    assert any(f"{admin} linked the line `104` for you" in t for t in _dms_to(linked, "carol"))
    unlinked = await bot.command("admin", "/switchboard", f"unlink <@{user_id('carol')}>")
    assert any(f"{admin} unlinked your phone line" in t for t in _dms_to(unlinked, "carol"))
    mine = await bot.command("bob", "/forward", "add +1 415 555 0178 Other")
    assert not _dms_to(mine, "bob")  # my own change: no DM about it


async def test_numbers_keep_their_type_and_the_provider_decides_duplicates(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    posts = bot.rc_faults.count("POST", "/forwarding-number")
    second = await bot.command("alice", "/forward", "add 650.555.0177 mobile")
    assert bot.rc_faults.count("POST", "/forwarding-number") == posts + 1  # RingCentral was asked
    assert "RingCentral refused a second number of that type" in second.text
    puts = bot.rc_faults.count("PUT", "/forwarding-number")
    renamed = await bot.command("alice", "/forward", "edit home +1 415 555 0189 Cabin")
    assert "keeps the name *Home*" in renamed.text
    assert bot.rc_faults.count("PUT", "/forwarding-number") == puts  # nothing sent
    home = next(n for n in bot.rc.extensions[2263488004].forwarding if n.type == "Home")
    assert home.phone == "+14155550188"
    emoji = await bot.command("alice", "/forward", "add +1 415 555 0190 Cabin 🏔️")
    assert "*Cabin 🏔️*" in emoji.text
    assert any(n.label == "Cabin 🏔️" for n in bot.rc.extensions[2263488004].forwarding)


async def test_local_numbers_are_read_with_the_deployments_region(sqlite_url: str) -> None:
    from tests.helpers.harness import start_harness

    berlin = await start_harness(
        sqlite_url, switchboard_default_region="DE", switchboard_allowed_countries="DE,US"
    )
    try:
        reply = await berlin.command("alice", "/forward", "add 030 1234567 Berlin")
        assert "Added *Berlin*" in reply.text
        assert any(n.phone == "+49301234567" for n in berlin.rc.extensions[2263488004].forwarding)
    finally:
        await berlin.close()
