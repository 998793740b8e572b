"""docs/contract.md "Trust": who the bot links, and to what. Each attack, refused."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import TEAM_ID, SlackUser, slack_id_for
from tests.helpers.harness import Harness, user_id

ALICE_EXT = 2263488004


def person(email: str, **flags: object) -> SlackUser:
    name = email.split("@")[0]
    base = SlackUser(slack_id_for(f"{name}+{len(flags)}@x"), name, name.title(), email)
    return dataclasses.replace(base, **flags)  # type: ignore[arg-type]


async def lines_of(bot: Harness, slack_id: str) -> list[str]:
    async with bot.runtime.database.session() as session:
        from bot.store import links

        return [x.ref for x in await links.links_of(session, slack_user_id=slack_id)]


async def whoami(bot: Harness, user: SlackUser) -> str:
    body = payloads.slash_command(
        user_id=user.id,
        user_name=user.name,
        command="/forward",
        text="list",
        response_url=bot.slack.response_url(),
    )
    return (await bot.signed(body)).text


UNTRUSTED: dict[str, dict[str, Any]] = {
    "multi-channel guest": {"is_restricted": True},
    "single-channel guest": {"is_ultra_restricted": True},
    "Slack Connect user from another company": {"is_stranger": True, "team_id": "T0OTHERCO"},
    "unconfirmed email": {"is_email_confirmed": False},
    "deactivated account": {"deleted": True},
    "bot": {"is_bot": True},
    "user of another workspace": {"team_id": "T0ELSEWHERE"},
}


async def test_only_confirmed_full_members_are_linked_by_email(bot: Harness) -> None:
    before = bot.rc_faults.count("GET", "/extension")
    for flags in UNTRUSTED.values():
        user = person("heidi@example.com", **flags)
        bot.slack.add_user(user)
        text = await whoami(bot, user)
        assert "only for full members of this workspace with a confirmed email" in text, flags
        assert await lines_of(bot, user.id) == []
    assert bot.rc_faults.count("GET", "/extension") == before  # nobody was looked up
    member = person("heidi@example.com")
    bot.slack.add_user(member)
    await whoami(bot, member)
    assert await lines_of(bot, member.id) == ["ringcentral:2263494004"]


async def test_a_second_account_with_a_colleagues_email_gets_nothing(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")  # alice linked by email
    twin = person("alice@example.com")
    bot.slack.add_user(twin)
    text = await whoami(bot, twin)
    assert "already linked to someone else" in text
    assert await lines_of(bot, twin.id) == []
    assert await lines_of(bot, user_id("alice")) == [f"ringcentral:{ALICE_EXT}"]


async def test_an_email_changed_to_a_colleagues_unlinks_at_once(bot: Harness) -> None:
    await bot.command("mallory", "/forward", "list")  # mallory: no extension with her email
    await bot.command("bob", "/forward", "list")
    assert await lines_of(bot, user_id("bob")) == ["ringcentral:2263489004"]
    bob = bot.slack.users[user_id("bob")]
    changed = dataclasses.replace(bob, email="alice@example.com")
    bot.slack.add_user(changed)
    event = payloads.event(event={"type": "user_change", "user": changed.as_api()})
    reply = await bot.signed(event, content_type="application/json")
    assert reply.status == 200
    assert await lines_of(bot, user_id("bob")) == []
    dms = [c for c in reply.calls if c.method == "chat.postMessage"]
    assert dms
    assert dms[0].args["channel"] == user_id("bob")
    assert "no longer acts on extension `103`" in dms[0].args["text"]
    assert next(r.action for r in await bot.audit_rows()) == "unlink.profile"
    # bob is not given alice's line either: the email now matches a line alice will hold
    await bot.command("alice", "/forward", "list")
    assert await lines_of(bot, user_id("bob")) == []


async def test_a_deactivated_account_loses_its_email_link_on_the_daily_recheck(bot: Harness) -> None:
    from datetime import timedelta

    from bot.profile_checks import recheck_due

    await bot.command("bob", "/forward", "list")
    bot.slack.add_user(dataclasses.replace(bot.slack.users[user_id("bob")], deleted=True))
    assert (
        await recheck_due(bot.runtime.identity, bot.runtime.notices, bot.runtime.clock()) == 0
    )  # checked just now
    later = bot.runtime.clock() + timedelta(hours=25)
    assert await recheck_due(bot.runtime.identity, bot.runtime.notices, later) == 1
    assert await lines_of(bot, user_id("bob")) == []


async def test_requests_from_another_workspace_are_refused(bot: Harness) -> None:
    body = payloads.slash_command(
        user_id=user_id("alice"),
        user_name="alice",
        command="/forward",
        text="add (650) 555-0100 Desk",
        response_url=bot.slack.response_url(),
        team_id="T0EVILCORP",
    )
    reply = await bot.signed(body)
    assert "only the workspace it is installed in" in reply.text
    assert bot.rc_faults.count("POST") == 0
    click = payloads.block_action(
        user_id=user_id("admin"),
        user_name="admin",
        action={"action_id": "forward_toggle_off", "value": user_id("alice")},
        response_url=bot.slack.response_url(),
        team_id="T0EVILCORP",
    )
    assert (await bot.signed(click)).calls == []


async def test_admin_link_of_a_held_line_names_the_holder_unless_replace(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    mallory = user_id("mallory")
    refused = await bot.command("admin", "/switchboard", f"link <@{mallory}> 102")
    assert f"linked to <@{user_id('alice')}>" in refused.text
    assert "replace" in refused.text
    moved = await bot.command("admin", "/switchboard", f"link <@{mallory}> 102 replace")
    assert "no longer holds it" in moved.text
    assert await lines_of(bot, mallory) == [f"ringcentral:{ALICE_EXT}"]
    assert await lines_of(bot, user_id("alice")) == []
    told = [c for c in moved.calls if c.method == "chat.postMessage"]
    assert user_id("alice") in [c.args["channel"] for c in told]  # the displaced holder
    assert mallory in [c.args["channel"] for c in told]  # and the person linked
    actions = [r.action for r in await bot.audit_rows()][:2]
    assert actions == ["link.admin", "unlink.replaced"]


async def test_a_disabled_extension_cannot_be_linked(bot: Harness) -> None:
    reply = await bot.command("admin", "/switchboard", f"link <@{user_id('mallory')}> 109")
    assert "disabled in RingCentral" in reply.text
    assert await lines_of(bot, user_id("mallory")) == []


flag = st.booleans()
EXAMPLES = itertools.count()


@pytest.mark.slow  # many generated profiles
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    confirmed=flag,
    restricted=flag,
    ultra=flag,
    stranger=flag,
    is_bot=flag,
    deleted=flag,
    team=st.sampled_from([TEAM_ID, "T0OTHER"]),
)
async def test_random_profiles_link_only_confirmed_full_members(
    bot: Harness,
    confirmed: bool,
    restricted: bool,
    ultra: bool,
    stranger: bool,
    is_bot: bool,
    deleted: bool,
    team: str,
) -> None:
    flags = {
        "is_email_confirmed": confirmed,
        "is_restricted": restricted,
        "is_ultra_restricted": ultra,
        "is_stranger": stranger,
        "is_bot": is_bot,
        "deleted": deleted,
        "team_id": team,
    }
    user = dataclasses.replace(
        person("grace@example.com"),
        id=slack_id_for(f"grace-{next(EXAMPLES)}@x"),
        **flags,  # type: ignore[arg-type]
    )
    bot.slack.add_user(user)
    await whoami(bot, user)
    trusted = (
        confirmed and not (restricted or ultra or stranger or is_bot or deleted) and team == TEAM_ID
    )
    linked = await lines_of(bot, user.id)
    assert bool(linked) == (trusted and not await _grace_held_by_other(bot, user.id))
    if linked:  # free the line for the next example
        await bot.command("admin", "/switchboard", f"unlink <@{user.id}>")


async def _grace_held_by_other(bot: Harness, me: str) -> bool:
    from bot.store import links

    async with bot.runtime.database.session() as session:
        holder = await links.holder_of(session, provider="ringcentral", line_id="2263493004")
    return holder is not None and holder != me


async def test_an_unmatched_email_is_looked_up_once_until_the_profile_changes(bot: Harness) -> None:
    """Issue 18: the directory search is RingCentral's Medium group; a miss is remembered."""
    before = bot.rc_faults.count("GET", "/extension")
    for _ in range(3):
        assert "aren't linked to a phone line" in await whoami(bot, bot.slack.users[user_id("mallory")])
    assert bot.rc_faults.count("GET", "/extension") == before + 1
    changed = dataclasses.replace(bot.slack.users[user_id("mallory")], email="heidi@example.com")
    bot.slack.add_user(changed)
    event = payloads.event(event={"type": "user_change", "user": changed.as_api()})
    assert (await bot.signed(event, content_type="application/json")).status == 200
    await whoami(bot, changed)
    assert await lines_of(bot, changed.id) == ["ringcentral:2263494004"]


async def test_an_extension_given_a_new_email_loses_its_email_link_on_user_change(
    bot: Harness,
) -> None:
    """Issue 24: ext 102 reassigned at RingCentral; the Slack profile is the same as ever."""
    await bot.command("alice", "/forward", "list")
    assert await lines_of(bot, user_id("alice")) == [f"ringcentral:{ALICE_EXT}"]
    bot.rc.extensions[ALICE_EXT].email = "newhire@example.com"
    alice = bot.slack.users[user_id("alice")]
    event = payloads.event(event={"type": "user_change", "user": alice.as_api()})
    reply = await bot.signed(event, content_type="application/json")
    assert reply.status == 200
    assert await lines_of(bot, user_id("alice")) == []
    dms = [c.args["text"] for c in reply.calls if c.method == "chat.postMessage"]
    assert len(dms) == 1
    assert "extension `102`" in dms[0]
    assert "ask a Switchboard admin" in dms[0]
    row = next(r for r in await bot.audit_rows())
    assert (row.action, row.subject, row.actor) == ("unlink.directory", user_id("alice"), "switchboard")
    posts = bot.rc_faults.count("POST")
    refused = await bot.command("alice", "/forward", "add (650) 555-0100 Desk")
    assert "aren't linked" in refused.text
    assert bot.rc_faults.count("POST") == posts  # nothing reached RingCentral


async def test_an_extension_given_a_new_email_loses_its_email_link_on_the_daily_recheck(
    bot: Harness,
) -> None:
    from datetime import timedelta

    from bot.profile_checks import recheck_due

    await bot.command("alice", "/forward", "list")
    await bot.command("bob", "/forward", "list")
    bot.rc.extensions[ALICE_EXT].email = "newhire@example.com"
    later = bot.runtime.clock() + timedelta(hours=25)
    assert await recheck_due(bot.runtime.identity, bot.runtime.notices, later) == 1
    assert await lines_of(bot, user_id("alice")) == []
    assert await lines_of(bot, user_id("bob")) == ["ringcentral:2263489004"]  # still bob's
    assert "aren't linked" in (await bot.command("alice", "/forward", "list")).text


async def test_profile_edits_in_a_row_read_the_extension_back_once(bot: Harness) -> None:
    """Slack sends `user_change` for any edit (a status too): one read of the line per 10 min."""
    await bot.command("alice", "/forward", "list")
    alice = bot.slack.users[user_id("alice")]
    before = bot.rc_faults.count("GET", f"/extension/{ALICE_EXT}")
    for _ in range(5):
        event = payloads.event(event={"type": "user_change", "user": alice.as_api()})
        assert (await bot.signed(event, content_type="application/json")).status == 200
    assert bot.rc_faults.count("GET", f"/extension/{ALICE_EXT}") == before + 1
    assert await lines_of(bot, user_id("alice")) == [f"ringcentral:{ALICE_EXT}"]
