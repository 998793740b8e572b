"""CONTRACT "Everyday on-call and feedback": answers that say what was wrong and what to do."""

from __future__ import annotations

from tests.e2e.test_transfer import link_dave, rc_moves
from tests.harness import Harness, user_id


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
    from tests.e2e.test_oncall import create_rotation

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
