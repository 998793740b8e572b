"""Issue 28: cover requests with "Take it": the first other member's press makes one override."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.shell import payloads
from bot.devkit.shell.standin import Call
from bot.oncall.covers import CoverRequests
from bot.services.actor import Actor
from bot.store.models import OverrideRow
from tests.helpers.harness import Harness, Reply, two_sharing_slack, user_id
from tests.helpers.modal import button
from tests.helpers.oncall import create_rotation, hotline_forwards_to, this_hour

BOB_MOBILE = "+12125550142"
THREE = ["alice", "bob", "erin"]


def within_alices_shift() -> str:
    """A `<from> to <to>` inside alice's shift: hers from this hour today to this hour tomorrow
    (Los Angeles, her zone too); a request is only for time the asker is on call."""
    hour = this_hour()
    return f"today {hour[:2]}:30 to tomorrow {hour}"


async def three(bot: Harness) -> None:
    await create_rotation(bot, members=[user_id(n) for n in THREE])
    await bot.runtime.handoffs.tick()


def request_message(calls: list[Call]) -> Call:
    return next(
        c for c in calls if c.method == "chat.postMessage" and "asks for cover" in str(c.args["text"])
    )


def take_button(message: Call) -> dict[str, Any]:
    for block in message.args["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == "oncall_cover_take":
                return {**element, "block_id": block.get("block_id")}
    raise AssertionError("no Take it button")


async def press(bot: Harness, who: str, message: Call) -> Reply:
    body = payloads.block_action(
        user_id=user_id(who),
        user_name=who,
        action=take_button(message),
        response_url=bot.slack.response_url(),
        message_ts=str(message.result["ts"]) if message.result else "1.0",
    )
    return await bot.signed(body)


async def overrides(bot: Harness) -> int:
    async with bot.runtime.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(OverrideRow)) or 0)


async def test_the_first_other_member_takes_it_and_everyone_is_told(bot: Harness) -> None:
    await three(bot)
    asked = await bot.command("alice", "/oncall", "cover for 2h")
    assert "Asked <#C0ONCALL> to cover you on *support*" in asked.text
    message = request_message(asked.calls)
    assert message.args["channel"] == "C0ONCALL"
    assert f"<@{user_id('alice')}> asks for cover on *support* from <!date^" in message.args["text"]

    outsider = await press(bot, "carol", message)
    assert "Only members of `support` can take it" in outsider.text
    own = await press(bot, "alice", message)
    assert "your own request" in own.text
    assert await overrides(bot) == 0

    taken = await press(bot, "bob", message)
    updated = [c for c in taken.calls if c.method == "chat.update"]
    assert len(updated) == 1
    assert f"<@{user_id('bob')}> covers <@{user_id('alice')}>" in updated[0].args["text"]
    dms = [(c.args["channel"], c.args["text"]) for c in taken.calls if c.method == "chat.postMessage"]
    assert any(to == user_id("bob") and "You cover" in text for to, text in dms)
    assert any(to == user_id("alice") and "covers you on *support*" in text for to, text in dms)
    assert hotline_forwards_to(bot) == BOB_MOBILE  # the hotline follows at once
    assert await overrides(bot) == 1

    late = await press(bot, "erin", message)
    assert "Someone else took this one already" in late.text
    assert await overrides(bot) == 1
    assert "rotation.cover.take" in [r.action for r in await bot.audit_rows()]


async def test_cancelled_and_expired_requests_take_no_press(bot: Harness) -> None:
    await three(bot)
    asked = await bot.command("alice", "/oncall", f"cover {within_alices_shift()}")
    message = request_message(asked.calls)
    cancelled = await bot.command("alice", "/oncall", "cover cancel")
    assert "Cancelled 1 cover request" in cancelled.text
    assert any(
        c.method == "chat.update" and "No longer open: cancelled" in c.args["text"]
        for c in cancelled.calls
    )
    pressed = await press(bot, "bob", message)
    assert "was cancelled" in pressed.text
    assert await overrides(bot) == 0

    asked = await bot.command("alice", "/oncall", "cover for 1h")
    cover_id = int(take_button(request_message(asked.calls))["value"])
    later = CoverRequests(
        database=bot.runtime.database,
        schedule=bot.runtime.rotations.schedule,
        clock=lambda: bot.runtime.clock() + timedelta(hours=2),
    )
    assert (await later.take(Actor(user_id("bob"), False), cover_id)).outcome == "expired"
    assert await overrides(bot) == 0

    nothing = await bot.command("alice", "/oncall", "cover cancel")
    assert "no open cover request" in nothing.text
    bad = await bot.command("alice", "/oncall", "cover 2026-13-40 to tomorrow")
    assert "isn't a date" in bad.text


async def test_two_presses_at_once_on_two_instances_make_one_override(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    _app, url = platform
    async with two_sharing_slack(postgres_url, url) as (first, second):
        await create_rotation(first, members=[user_id(n) for n in THREE])
        asked = await first.command("alice", "/oncall", "cover for 3h")
        message = request_message(asked.calls)
        first.slack.drain()
        replies = await asyncio.gather(press(first, "bob", message), press(second, "erin", message))
        await first.runtime.tasks.wait_idle()
        await second.runtime.tasks.wait_idle()
        assert await overrides(first) == 1
        calls = [*replies[0].calls, *replies[1].calls, *first.slack.drain()]  # one Slack for both
        covered = [c for c in calls if c.method == "chat.update" and "covers" in c.args["text"]]
        assert len(covered) == 1
        told = [c for c in calls if c.method == "chat.postEphemeral"]
        assert [c.args["text"] for c in told] == [
            "Someone else took this one already; thank you all the same."
        ]


async def test_the_app_home_shows_escalation_group_shifts_and_open_requests(bot: Harness) -> None:
    await three(bot)
    await bot.command("erin", "/oncall", "number +1 312 555 0177")
    await bot.command("admin", "/oncall", "escalate support to next after 30s")
    await bot.command("admin", "/oncall", "group support")
    asked = await bot.command("alice", "/oncall", f"cover {within_alices_shift()}")
    home = await bot.signed(payloads.app_home_opened(user_id("bob")), content_type="application/json")
    view = next(c.args["view"] for c in home.calls if c.method == "views.publish")
    text = str(view["blocks"])
    assert "Your upcoming on-call shifts" in text
    assert "the hotline rings then the next person after 30 s" in text
    assert "group `@support-oncall`" in text
    assert f"<@{user_id('alice')}> asks for cover on *support*" in text
    taken = await bot.click("bob", button(view, "oncall_cover_take"), view=view)
    assert any(c.method == "chat.update" and "covers" in c.args["text"] for c in taken.calls)
    assert request_message(asked.calls).args["channel"] == "C0ONCALL"
    assert await overrides(bot) == 1
    mine = await bot.signed(payloads.app_home_opened(user_id("alice")), content_type="application/json")
    alices = str(next(c.args["view"] for c in mine.calls if c.method == "views.publish")["blocks"])
    assert "asks for cover" not in alices  # her own request isn't offered to her


async def test_a_request_slack_would_not_post_is_withdrawn_in_one_sentence(bot: Harness) -> None:
    from bot.devkit.shell.standin import Fault

    await three(bot)
    bot.slack.fail(Fault("chat.postMessage", "is_archived"))
    reply = await bot.command("alice", "/oncall", "cover for 2h")
    assert "Couldn't ask <#C0ONCALL>: the channel is archived. Nothing was asked." in reply.text
    again = await bot.command("alice", "/oncall", "cover cancel")
    assert "no open cover request" in again.text


async def test_a_request_past_its_time_says_so_once(bot: Harness) -> None:
    await three(bot)
    await bot.command("alice", "/oncall", "cover for 1h")
    bot.slack.drain()
    later = bot.runtime.clock() + timedelta(hours=2)
    await bot.runtime.handoffs.tick(later)
    await bot.runtime.handoffs.tick(later + timedelta(minutes=1))
    updates = [c for c in bot.slack.of("chat.update") if "its time has passed" in c.args["text"]]
    assert len(updates) == 1
    assert await overrides(bot) == 0


async def test_cover_is_only_for_time_i_am_on_call(bot: Harness) -> None:
    """Taking a request overrides the asker's time, never a third member's shift."""
    await three(bot)  # alice is on call now, until the next handoff (23+ hours away)
    not_mine = await bot.command("bob", "/oncall", "cover for 2h")
    assert not_mine.text == (
        "You aren't on call on `support` then, so there is nothing to cover; "
        "`/oncall schedule` shows your shifts."
    )
    assert not [c for c in not_mine.calls if "asks for cover" in str(c.args.get("text", ""))]
    longer = await bot.command("alice", "/oncall", "cover for 30h")  # past her shift, into bob's
    assert "Asked <#C0ONCALL> to cover you on *support*" in longer.text
    (rotation,) = await bot.runtime.rotations.rotations()
    alices = next(
        s for s in await bot.runtime.rotations.schedule(rotation) if s.member == user_id("alice")
    )
    (cover,) = await bot.runtime.rotations.covers.open_requests([rotation.id])
    assert cover.end == alices.end  # cut where bob's shift begins
    around = await bot.command("alice", "/oncall", "cover for 80h")  # hers, bob's, erin's, hers
    assert around.text == (
        "Someone else is on call in the middle of that time; ask for cover one shift at a time."
    )
