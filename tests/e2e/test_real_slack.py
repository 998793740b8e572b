"""docs/contract.md "Slack app": what real Slack sends and answers, not what we imagine.

Commands get the escaped text Slack sends with `should_escape: true`; notices meet Slack's
own errors (429 with Retry-After, not_in_channel, channel_not_found); rotation channels are
checked when saved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import Channel, Fault
from bot.manifest import MANIFEST
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import form_values, outcome
from tests.helpers.providers import emulators

ROOT = Path(__file__).resolve().parents[2]
# The bot scopes each Web API method the code calls needs (Slack's method reference).
SCOPES_OF = {
    "chat_postMessage": {"chat:write", "chat:write.public"},  # DMs, and rotation channels
    "chat_update": {"chat:write"},  # call cards updated in place
    "chat_postEphemeral": {"chat:write"},  # "Take it" pressed: told only to who pressed
    "usergroups_list": {"usergroups:read"},  # a rotation's on-call group, found by its handle
    "usergroups_create": {"usergroups:write"},
    "usergroups_enable": {"usergroups:write"},
    "usergroups_users_update": {"usergroups:write"},
    "conversations_info": {"channels:read", "groups:read"},
    "users_info": {"users:read", "users:read.email"},
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),
    "auth_test": set(),
}


def test_manifest_escapes_every_command_and_asks_for_exactly_the_scopes_used() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert all(c["should_escape"] is True for c in manifest["features"]["slash_commands"])
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    called: set[str] = set()
    for source in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]:
        if "shell" in source.parts or "emulator" in source.parts:
            continue  # dev tools: the stand-in answers these, it doesn't call them
        called |= set(
            re.findall(
                r"\.(chat_\w+|views_\w+|users_\w+|usergroups_\w+|conversations_\w+|auth_test)\(",
                source.read_text(),
            )
        )
    assert called <= set(SCOPES_OF), called - set(SCOPES_OF)
    needed = {"commands"} | set().union(*(SCOPES_OF[m] for m in called))
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    assert "user_change" in manifest["settings"]["event_subscriptions"]["bot_events"]


async def test_commands_take_what_real_slack_sends(bot: Harness) -> None:
    bob, alice = user_id("bob"), user_id("alice")
    await bot.command("bob", "/switchboard", "whoami")
    linked = await bot.command("admin", "/switchboard", f"link <@{user_id('mallory')}|mallory> 106")
    assert "Linked <@" in linked.text
    listed = await bot.command("admin", "/forward", f"list <@{alice}|alice>")
    assert "Mobile" in listed.text
    moved = await bot.command("alice", "/transfer", f"<@{bob}|bob>")
    assert "(ext `103`)" in moved.text
    added = await bot.command("alice", "/forward", "add <tel:+16505550199|(650) 555-0199> Desk")
    assert "Added *Desk* `(650) 555-0199`" in added.text
    forwarded = await bot.command("alice", "/forward", "to <tel:+16505550177|650.555.0177> for 1h")
    assert "All calls now go to `(650) 555-0177`" in forwarded.text


async def test_a_typed_email_reaches_smspartner_as_an_address(bot: Harness) -> None:
    dave = user_id("dave")
    await bot.command("admin", "/switchboard", f"link <@{dave}|dave> smspartner:+33612345678")
    reply = await bot.command("dave", "/forward", "voicemail <mailto:a@example.com|a@example.com>")
    assert "All calls now go to voicemail" in reply.text
    sms = emulators(bot.runtime).smspartner
    assert sms is not None
    assert sms.emulator_state.numbers["+33612345678"].param == "a@example.com"


async def test_escaped_text_typed_by_a_person_never_becomes_a_mention(bot: Harness) -> None:
    reply = await bot.command("alice", "/forward", f"list &lt;@{user_id('bob')}&gt;")
    assert "Usage" in reply.text


def rotation_submit(bot: Harness, form: dict[str, Any], channel: str) -> bytes:
    values = form_values("support", [user_id("alice")])
    values["channel"] = {"value": {"type": "conversations_select", "selected_conversation": channel}}
    return payloads.view_submission(
        user_id=user_id("admin"), user_name="admin", view=form, values=values
    )


async def test_a_private_channel_without_the_app_is_refused_when_saved(bot: Harness) -> None:
    bot.slack.add_channel(Channel("G0SECRET", "secret", is_private=True, is_member=False))
    bot.slack.add_channel(Channel("G0TEAM", "team", is_private=True, is_member=True))
    opened = await bot.command("admin", "/oncall", "create")
    form = bot.latest_view(opened)
    refused = await bot.signed(rotation_submit(bot, form, "G0SECRET"))
    assert "/invite @Switchboard" in outcome(refused)
    saved = await bot.signed(rotation_submit(bot, form, "G0TEAM"))
    assert "Rotation *support* saved" in outcome(saved)


@pytest.mark.slow  # waits out slow providers or retries on purpose
async def test_a_rate_limited_notice_is_retried_after_retry_after(bot: Harness) -> None:
    bot.slack.fail(Fault("chat.postMessage", "ratelimited", status=429, retry_after=1))
    assert await bot.runtime.notices.post(user_id("alice"), "hello")
    attempts = bot.slack.of("chat.postMessage")
    assert len(attempts) == 2
    assert (attempts[0].result or {}).get("error") == "ratelimited"
    assert (attempts[1].result or {}).get("ok") is True


async def test_undeliverable_channel_notices_are_reported_to_admins(bot: Harness) -> None:
    bot.slack.add_channel(Channel("G0GONE", "gone", is_private=True))
    bot.slack.fail(Fault("chat.postMessage", "not_in_channel"))
    assert not await bot.runtime.notices.post("C0ONCALL", "Bob is on call")
    assert not await bot.runtime.notices.post("G0GONE", "Alice is on call")
    alerts = [c for c in bot.slack.of("chat.postMessage") if c.args.get("channel") == user_id("admin")]
    assert len(alerts) == 2
    assert "invite the app" in alerts[0].args["text"]
    assert "Bob is on call" in alerts[0].args["text"]
    assert "private" in alerts[1].args["text"]
