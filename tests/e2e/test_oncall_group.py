"""Issue 28: `@support-oncall` is always exactly who is on call, on one instance or two."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.harness import Harness, two_sharing_slack, user_id
from tests.helpers.oncall import create_rotation, on_call_and_next


def group_of(bot: Harness, handle: str = "support-oncall") -> list[str]:
    return bot.slack.usergroups.members(handle)


async def test_the_group_follows_every_kind_of_change(bot: Harness) -> None:
    await create_rotation(bot)
    refused = await bot.command("alice", "/oncall", "group support")
    assert "Only Switchboard admins" in refused.text
    reply = await bot.command("admin", "/oncall", "group support")
    first, following = await on_call_and_next(bot)
    assert f"`@support-oncall` now holds <@{first}>" in reply.text
    assert [c.method for c in reply.calls if c.method.startswith("usergroups.")] == [
        "usergroups.list",
        "usergroups.create",
        "usergroups.users.update",
    ]
    assert group_of(bot) == [first]

    other = "bob" if first == user_id("alice") else "alice"
    await bot.command(other, "/oncall", "take for 1h")  # an override
    assert group_of(bot) == [user_id(other)]
    await bot.command(other, "/oncall", "release")  # released: the schedule again
    assert group_of(bot) == [first]
    who = "alice" if first == user_id("alice") else "bob"
    await bot.command(who, "/oncall", f"give <@{following}> for 1h")  # given
    assert group_of(bot) == [following]
    await bot.command("admin", "/oncall", "delete support")  # nothing more to follow

    # A handoff at the scheduler's tick, and nothing sent when nothing changed.
    await create_rotation(bot)
    await bot.command("admin", "/oncall", "group support")
    bot.slack.drain()
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    await bot.runtime.handoffs.tick(tomorrow)
    assert group_of(bot) == [(await on_call_and_next(bot, tomorrow))[0]]
    await bot.runtime.handoffs.tick(tomorrow + timedelta(minutes=1))
    assert len(bot.slack.of("usergroups.users.update")) == 1

    off = await bot.command("admin", "/oncall", "group support off")
    assert "no longer updates `@support-oncall`" in off.text
    await bot.runtime.handoffs.tick(tomorrow + timedelta(days=1))
    assert bot.slack.of("usergroups.users.update") == []


async def test_what_slack_refuses_is_one_sentence(bot: Harness) -> None:
    await create_rotation(bot)
    bot.slack.usergroups.paid_plan = False
    reply = await bot.command("admin", "/oncall", "group support")
    assert "plan has no user groups" in reply.text
    bot.slack.usergroups.paid_plan = True
    taken = await bot.command("admin", "/oncall", "group support @alice")  # a person's name
    assert "pick another handle" in taken.text
    bad = await bot.command("admin", "/oncall", "group support @no way")
    assert "Usage: `/oncall group" in bad.text
    bot.slack.usergroups.apps_may_manage = False
    denied = await bot.command("admin", "/oncall", "group support")
    assert "workspace settings don't let apps manage user groups" in denied.text
    rotation = (await bot.runtime.rotations.rotations())[0]
    assert rotation.group_id == ""
    assert not any(t.startswith("{") or "Traceback" in t for t in denied.texts())


async def test_an_existing_group_is_adopted_and_a_failed_update_retried(bot: Harness) -> None:
    from bot.devkit.shell.standin import Fault

    await create_rotation(bot)
    made = bot.slack.usergroups.answer(
        "usergroups.create", {"name": "Support rota", "handle": "support-oncall"}, {}, set()
    )
    first, _ = await on_call_and_next(bot)
    bot.slack.fail(Fault("usergroups.users.update", "ratelimited", times=1))
    await bot.command("admin", "/oncall", "group support")
    assert [g["id"] for g in bot.slack.usergroups.groups.values()] == [made["usergroup"]["id"]]
    assert group_of(bot) == []  # Slack failed once: put back, tried again at the next tick
    await bot.runtime.handoffs.tick()
    assert group_of(bot) == [first]


async def test_two_instances_update_the_group_once_per_change(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    _app, url = platform
    async with two_sharing_slack(postgres_url, url) as (first, second):
        await create_rotation(first)
        await first.command("admin", "/oncall", "group support")
        on_call, _ = await on_call_and_next(first)
        assert group_of(first) == [on_call]
        first.slack.drain()
        tomorrow = datetime.now(UTC) + timedelta(days=1)
        for _ in range(3):  # both instances tick, several times
            await first.runtime.handoffs.tick(tomorrow)
            await second.runtime.handoffs.tick(tomorrow)
        then, _ = await on_call_and_next(first, tomorrow)
        assert group_of(first) == [then]
        assert len(first.slack.of("usergroups.users.update")) == 1
        other = "bob" if on_call == user_id("alice") else "alice"
        await second.command(other, "/oncall", "take for 1h")  # a change made on the other one
        assert group_of(first) == [user_id(other)]
