"""Issue 28: time off. The person is skipped in every rotation; the next member in order
covers, is reminded as usual, and the hotline follows."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.devkit.in_process import VIRTUAL_NUMBER
from bot.domain.schedule import Shift, on_call
from bot.store import rotations as store
from bot.store.rotations import RotationRecord
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation, hotline_forwards_to, outcome

ALICE_MOBILE = "+14155550123"
CHICAGO = ZoneInfo("America/Chicago")  # erin's Slack time zone


async def two_rotations(bot: Harness) -> tuple[RotationRecord, RotationRecord]:
    await create_rotation(bot, members=[user_id("alice"), user_id("bob"), user_id("erin")])
    night = [user_id("carol"), user_id("erin")]
    made = await create_rotation(
        bot, members=night, name="night", hotline=f"smspartner:{VIRTUAL_NUMBER}"
    )
    assert "saved" in outcome(made)
    await bot.command("carol", "/oncall", "number +1 650 555 0161")
    await bot.command("erin", "/oncall", "number +1 312 555 0177")
    rotations = {r.name: r for r in await bot.runtime.rotations.rotations()}
    return rotations["support"], rotations["night"]


async def holder(bot: Harness, rotation: RotationRecord, at: datetime) -> Shift:
    async with bot.runtime.database.session() as session:
        overrides = await store.overrides(session, rotation_id=rotation.id, since=at - timedelta(days=1))
    return on_call(rotation.schedule, at, overrides)


async def erins_next(bot: Harness, rotation: RotationRecord) -> Shift:
    shifts = await bot.runtime.rotations.schedule(rotation, days=7)
    return next(s for s in shifts if s.member == user_id("erin") and s.start > bot.runtime.clock())


async def test_time_off_across_two_rotations(bot: Harness) -> None:
    support, night = await two_rotations(bot)
    in_support, in_night = await erins_next(bot, support), await erins_next(bot, night)
    first = min(in_support.start, in_night.start).astimezone(CHICAGO).date()
    last = max(in_support.end, in_night.end).astimezone(CHICAGO).date()
    bot.slack.drain()
    reply = await bot.command("erin", "/oncall", f"away {first} to {last}")
    assert "skipped in *night*, *support*" in reply.text
    notices = [
        c.args["text"]
        for c in reply.calls
        if c.method == "chat.postMessage"
        and c.args["channel"] == "C0ONCALL"
        and "is away from" in c.args["text"]
    ]
    assert len(notices) == 2
    assert all(f"<@{user_id('erin')}> is away from <!date^" in n for n in notices)

    minute = timedelta(minutes=1)
    covered = await holder(bot, support, in_support.start + minute)
    assert (covered.member, covered.override) == (user_id("alice"), True)  # next in order, wrapping
    assert (await holder(bot, night, in_night.start + minute)).member == user_id("carol")

    schedule = await bot.command("bob", "/oncall", "schedule support")
    assert "*Time off*" in schedule.text
    assert f"<@{user_id('erin')}>:" in schedule.text
    assert f"<@{user_id('erin')}>  " not in schedule.text.split("*Time off*")[0]  # no shift of hers

    # Whoever covers gets the usual reminder, and the hotline follows them.
    engine = bot.runtime.handoffs
    await engine.tick(in_support.start - timedelta(hours=3))
    bot.slack.drain()
    await engine.tick(in_support.start - timedelta(minutes=59))
    reminded = [
        c.args["channel"]
        for c in bot.slack.of("chat.postMessage")
        if "support" in c.args["text"] and "shift starts at" in c.args["text"]
    ]
    assert reminded == [user_id("alice")]
    await engine.tick(in_support.start + timedelta(seconds=5))
    assert hotline_forwards_to(bot) == ALICE_MOBILE

    back = await bot.command("erin", "/oncall", "away cancel")
    assert "Your time off is cancelled" in back.text
    assert (await holder(bot, support, in_support.start + minute)).member == user_id("erin")
    again = await bot.command("erin", "/oncall", "away cancel")
    assert "no time off" in again.text


async def test_time_off_is_refused_when_it_makes_no_sense(bot: Harness) -> None:
    await create_rotation(bot)
    for text, reason in (
        ("away", "Usage: `/oncall away"),
        ("away tomorrow", "Usage: `/oncall away"),
        ("away 2026-12-26 to 2026-12-24", "The end comes before the start"),
        ("away 2020-01-01 to 2020-01-02", "ends in the future"),
    ):
        reply = await bot.command("alice", "/oncall", text)
        assert reason in reply.text, text
    outsider = await bot.command("carol", "/oncall", "away tomorrow to tomorrow")
    assert "aren't in any rotation" in outsider.text
