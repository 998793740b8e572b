"""docs/contract.md "Everyday on-call": give, release, reminders, date tokens, whole shifts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.devkit.shell.standin import Call
from bot.domain.schedule import on_call
from bot.store.rotations import RotationRecord
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation, hotline_forwards_to

ALICE_MOBILE, BOB_MOBILE = "+14155550123", "+12125550142"


async def rotation(bot: Harness, handoff: str | None = None) -> RotationRecord:
    extra = {"handoff": handoff} if handoff else {}
    await create_rotation(bot, "admin", None, **extra)  # alice then bob, daily, America/Los_Angeles
    return (await bot.runtime.rotations.rotations())[0]


async def test_give_hands_my_shift_to_a_member_who_is_told(bot: Harness) -> None:
    await rotation(bot)
    await bot.runtime.handoffs.tick()
    assert hotline_forwards_to(bot) == ALICE_MOBILE  # alice's shift
    reply = await bot.command("alice", "/oncall", f"give <@{user_id('bob')}> support for 2h")
    assert f"<@{user_id('bob')}> is on call for *support* until" in reply.text
    assert hotline_forwards_to(bot) == BOB_MOBILE  # at once
    told = [
        c for c in reply.calls if c.method == "chat.postMessage" and c.args["channel"] == user_id("bob")
    ]
    assert any(f"<@{user_id('alice')}> gave you the *support* shift" in c.args["text"] for c in told)
    assert "rotation.give" in [r.action for r in await bot.audit_rows()]


async def test_giving_two_hours_tells_me_the_hotline_comes_back_not_that_my_shift_ended(
    bot: Harness,
) -> None:
    await rotation(bot)
    await bot.runtime.handoffs.tick()
    reply = await bot.command("alice", "/oncall", f"give <@{user_id('bob')}> support for 2h")
    to_alice = [
        c.args["text"]
        for c in reply.calls
        if c.method == "chat.postMessage" and c.args["channel"] == user_id("alice")
    ]
    assert not any("shift has ended" in text for text in to_alice)
    assert any(
        re.fullmatch(
            rf"<@{user_id('bob')}> has the \*support\* hotline until (?:\w{{3}} \d\d \w{{3}} )?\d\d:\d\d; it comes back to you then\.",
            text,
        )
        for text in to_alice
    ), to_alice


async def test_give_refuses_what_is_not_mine_to_give(bot: Harness) -> None:
    await rotation(bot)
    not_mine = await bot.command("bob", "/oncall", f"give <@{user_id('alice')}>")
    assert "You can give only your own time" in not_mine.text
    outsider = await bot.command("carol", "/oncall", f"give <@{user_id('bob')}>")
    assert "Only admins and members" in outsider.text
    stranger = await bot.command("alice", "/oncall", f"give <@{user_id('carol')}>")
    assert "isn't a member of `support`" in stranger.text
    usage = await bot.command("alice", "/oncall", "give bob")
    assert "Usage: `/oncall give @user" in usage.text
    admin = await bot.command("admin", "/oncall", f"give <@{user_id('bob')}> for 1h")
    assert "is on call for *support*" in admin.text  # admins give anyone's time
    assert "rotation.give" in [r.action for r in await bot.audit_rows()]


async def test_release_ends_my_override_and_the_schedule_applies_again(bot: Harness) -> None:
    await rotation(bot)
    await bot.runtime.handoffs.tick()
    nothing = await bot.command("bob", "/oncall", "release")
    assert "You have no override on *support* right now" in nothing.text
    await bot.command("bob", "/oncall", "take for 2h")
    assert hotline_forwards_to(bot) == BOB_MOBILE
    released = await bot.command("bob", "/oncall", "release support")
    assert "Your override on *support* has ended" in released.text
    assert f"<@{user_id('alice')}> is on call until" in released.text
    assert hotline_forwards_to(bot) == ALICE_MOBILE
    assert "rotation.release" in [r.action for r in await bot.audit_rows()]


async def test_the_next_member_is_reminded_an_hour_before_once(bot: Harness) -> None:
    support = await rotation(bot)
    now = datetime.now(UTC)
    current = on_call(support.schedule, now, [])
    upcoming = on_call(support.schedule, current.end, [])
    engine = bot.runtime.handoffs
    bot.slack.drain()
    await engine.tick(current.end - timedelta(minutes=61))
    assert not _reminders(bot)
    await engine.tick(current.end - timedelta(minutes=59))
    await engine.tick(current.end - timedelta(minutes=58))
    sent = _reminders(bot)
    assert [c.args["channel"] for c in sent] == [user_id(_name(upcoming.member))]
    assert "shift starts at" in sent[0].args["text"]
    assert "(in 59 min)" in sent[0].args["text"]
    assert "will forward to `(" in sent[0].args["text"]  # the number, written as everywhere


async def test_across_a_dst_change_reminders_and_tokens_keep_local_time(bot: Harness) -> None:
    """US clocks go forward on 14 March 2027: the 09:00 handoff is 16:00 UTC that day."""
    support = await rotation(bot, handoff="09:00")
    handoff = datetime(2027, 3, 14, 16, 0, tzinfo=UTC)  # 09:00 PDT
    before = on_call(support.schedule, handoff - timedelta(minutes=1), [])
    assert before.end == handoff
    engine = bot.runtime.handoffs
    await engine.tick(handoff - timedelta(hours=2))  # the holder of the day before (PST)
    bot.slack.drain()
    await engine.tick(handoff - timedelta(minutes=62))
    assert not _reminders(bot)
    await engine.tick(handoff - timedelta(minutes=59))  # 08:01 PDT
    reminder = _reminders(bot)
    assert len(reminder) == 1
    starts = re.search(r"starts at (.+?) \(in", reminder[0].args["text"])
    assert starts is not None
    zone = "America/New_York" if reminder[0].args["channel"] == user_id("bob") else "America/Los_Angeles"
    assert starts.group(1).endswith(handoff.astimezone(ZoneInfo(zone)).strftime("%H:%M"))
    bot.slack.drain()
    await engine.tick(handoff + timedelta(seconds=5))
    channel = next(c for c in bot.slack.of("chat.postMessage") if c.args["channel"] == "C0ONCALL")
    next_handoff = int(datetime(2027, 3, 15, 16, 0, tzinfo=UTC).timestamp())  # 09:00 PDT again
    assert (
        f"<!date^{next_handoff}^{{date_short_pretty}} {{time}}|Mon 15 Mar 16:00 UTC>"
        in channel.args["text"]
    )
    dm = next(c for c in bot.slack.of("chat.postMessage") if c.args["channel"] not in ("C0ONCALL",))
    assert "UTC" not in dm.args["text"]  # the reader's own zone, not UTC


async def test_the_schedule_shows_shifts_whole(bot: Harness) -> None:
    await rotation(bot, handoff="09:00")
    schedule = await bot.command("alice", "/oncall", "schedule")
    rows = [line for line in schedule.text.splitlines() if "→" in line]
    assert rows
    assert all(re.search(r"09:00 → .*09:00", row) for row in rows), rows  # each from handoff to handoff


def _reminders(bot: Harness) -> list[Call]:
    return [c for c in bot.slack.of("chat.postMessage") if "shift starts at" in str(c.args.get("text"))]


def _name(slack_id: str) -> str:
    return next(name for name in ("alice", "bob") if user_id(name) == slack_id)
