"""On-call end to end: the rotation modal, /oncall, and the handoff engine on the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.devkit.shell import payloads
from tests.helpers.emulated import HOTLINE_EXT
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation, hotline_forwards_to, outcome
from tests.helpers.providers import emulators


async def test_create_who_take_and_schedule(bot: Harness) -> None:
    refused = await bot.command("alice", "/oncall", "create")
    assert "Only Switchboard admins" in refused.text  # in the ack, before any form opens
    assert not [c for c in refused.calls if c.method == "views.open"]
    saved = await create_rotation(bot)
    assert "Rotation *support* saved" in outcome(saved)
    who = await bot.command("alice", "/oncall", "")
    assert f"<@{user_id('alice')}> is on call until" in who.text
    assert f"then <@{user_id('bob')}>" in who.text
    schedule = await bot.command("alice", "/oncall", "schedule support")
    assert schedule.text.count("→") >= 14
    taken = await bot.command("bob", "/oncall", "take for 2h")
    assert "You are on call for *support*" in taken.text
    assert hotline_forwards_to(bot) == "+12125550142"  # bob's Mobile, applied at once
    outsider = await bot.command("carol", "/oncall", "take")
    assert "Only admins and members" in outsider.text


async def test_handoffs_apply_once_and_follow_the_schedule(bot: Harness) -> None:
    await create_rotation(bot)
    engine = bot.runtime.handoffs
    now = datetime.now(UTC)
    assert await engine.tick(now) == 1
    assert hotline_forwards_to(bot) == "+14155550123"  # alice's Mobile
    assert await engine.tick(now + timedelta(minutes=1)) == 0  # level-triggered: nothing to do
    notices = [c.args for c in bot.slack.of("chat.postMessage")]
    assert any(n["channel"] == "C0ONCALL" and "is now on call" in n["text"] for n in notices)
    bot.slack.drain()
    tomorrow = now + timedelta(days=1)
    assert await engine.tick(tomorrow) == 1
    assert hotline_forwards_to(bot) == "+12125550142"  # bob's turn
    channels = [c.args["channel"] for c in bot.slack.of("chat.postMessage")]
    assert sorted(channels) == sorted(["C0ONCALL", user_id("bob"), user_id("alice")])


async def test_drift_is_restored_and_announced(bot: Harness) -> None:
    await create_rotation(bot)
    now = datetime.now(UTC)
    await bot.runtime.handoffs.tick(now)
    rule = next(r for r in bot.rc.extensions[HOTLINE_EXT].rules_v1.values() if r["type"] == "Custom")
    del bot.rc.extensions[HOTLINE_EXT].rules_v1[rule["id"]]  # someone removed it in RingCentral
    bot.slack.drain()
    assert await bot.runtime.handoffs.tick(now + timedelta(minutes=1)) == 0  # not read yet
    drift_check = timedelta(seconds=bot.runtime.settings.switchboard_drift_check_seconds)
    assert await bot.runtime.handoffs.tick(now + drift_check + timedelta(seconds=1)) == 1
    assert hotline_forwards_to(bot) == "+14155550123"
    assert any("changed outside Switchboard" in c.args["text"] for c in bot.slack.of("chat.postMessage"))


async def test_between_handoffs_the_engine_asks_ringcentral_nothing(bot: Harness) -> None:
    """Issue 18: a hotline is read at handoffs and every SWITCHBOARD_DRIFT_CHECK_SECONDS."""
    await create_rotation(bot)
    now = datetime.now(UTC)
    await bot.runtime.handoffs.tick(now)
    sent = sum(bot.rc_faults.requests.values())
    for minutes in range(1, 5):  # a tick a minute, within the drift-check interval
        await bot.runtime.handoffs.tick(now + timedelta(minutes=minutes))
    assert sum(bot.rc_faults.requests.values()) == sent
    await bot.runtime.handoffs.tick(now + timedelta(minutes=5, seconds=1))
    assert sum(bot.rc_faults.requests.values()) > sent  # the drift check is due: read back once


async def test_a_crash_after_the_provider_change_is_repaired_without_a_second_change(
    bot: Harness,
) -> None:
    from bot.oncall.engine import SYSTEM, hotline_line

    await create_rotation(bot)
    rotation = (await bot.runtime.rotations.rotations())[0]
    # The provider was changed, then the process died before recording it.
    await bot.runtime.toggles.turn_on(
        SYSTEM, hotline_line(rotation), kind="forward", target="+14155550123", until=None, key="crash"
    )
    posts = bot.rc_faults.count("POST", "/answering-rule")
    assert await bot.runtime.handoffs.tick() == 0
    assert bot.rc_faults.count("POST", "/answering-rule") == posts
    history = [
        c.args["text"] for c in bot.slack.of("chat.postMessage") if c.args["channel"] == "C0ONCALL"
    ]
    assert len(history) == 1  # the handoff is still announced, once


async def test_provider_failures_back_off_and_are_announced(bot: Harness) -> None:
    await create_rotation(bot)
    bot.rc_faults.add("POST /answering-rule=400")
    now = datetime.now(UTC)
    for seconds in range(0, 125, 5):  # 25 ticks over two minutes
        await bot.runtime.handoffs.tick(now + timedelta(seconds=seconds))
    warnings = [c for c in bot.slack.of("chat.postMessage") if "keeps failing" in c.args["text"]]
    assert len(warnings) == 1
    attempts = bot.rc_faults.count("POST", "/answering-rule")
    assert 3 <= attempts <= 5  # backed off (15 s, 30 s, 60 s…): not one attempt per tick


async def test_someone_without_a_number_is_asked_and_the_handoff_flagged_once(bot: Harness) -> None:
    await bot.command(
        "admin", "/switchboard", f"link <@{user_id('mallory')}> 106"
    )  # frank's empty extension
    await create_rotation(bot, members=[user_id("mallory")])
    await bot.runtime.handoffs.tick()
    await bot.runtime.handoffs.tick()
    texts = [c.args["text"] for c in bot.slack.of("chat.postMessage")]
    assert sum("no number for you" in t for t in texts) == 1
    assert sum("is at risk" in t for t in texts) == 1
    await bot.command("mallory", "/oncall", "number +1 650 555 0161")
    await bot.runtime.handoffs.tick()
    assert hotline_forwards_to(bot) == "+16505550161"


async def test_a_hotline_is_never_a_persons_line(bot: Harness) -> None:
    await create_rotation(bot)
    linked = await bot.command("admin", "/switchboard", f"link <@{user_id('mallory')}> 200")
    assert "hotline of rotation `support`" in linked.text
    reply = await bot.command("mallory", "/forward", "to +1 650 555 0100")
    assert "aren't linked" in reply.text
    assert hotline_forwards_to(bot) != "+16505550100"


async def test_app_home_lists_my_upcoming_shifts(bot: Harness) -> None:
    await create_rotation(bot)
    home = await bot.signed(payloads.app_home_opened(user_id("bob")), content_type="application/json")
    view = next(c.args["view"] for c in home.calls if c.method == "views.publish")
    text = str(view["blocks"])
    assert "Your upcoming on-call shifts" in text
    assert "*support*" in text


async def test_take_touches_only_the_rotation_taken(bot: Harness) -> None:
    """Issue 18: `/oncall take` reconciles its own rotation, not every one."""
    from bot.devkit.in_process import VIRTUAL_NUMBER

    await create_rotation(bot)
    night = [user_id("carol"), user_id("alice")]
    made = await create_rotation(
        bot, members=night, name="night", hotline=f"smspartner:{VIRTUAL_NUMBER}"
    )
    assert "saved" in outcome(made)
    await bot.runtime.handoffs.tick()
    sms = emulators(bot.runtime).smspartner
    assert sms is not None
    await bot.command("carol", "/oncall", "number +1 650 555 0161")  # night is due a check
    before = sum(sms.faults.requests.values())
    await bot.command("bob", "/oncall", "take support")
    assert hotline_forwards_to(bot) == "+12125550142"  # bob's, at once
    assert sum(sms.faults.requests.values()) == before  # the night hotline was not touched
