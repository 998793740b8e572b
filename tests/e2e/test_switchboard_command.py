"""/switchboard end to end: signed HTTP → Bolt → services → emulator → Slack stand-in."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.helpers.harness import Harness, user_id


async def test_whoami_links_by_slack_email_once_and_audits_it(bot: Harness) -> None:
    first = await bot.command("alice", "/switchboard", "whoami")
    assert first.status == 200
    assert "RingCentral extension `102`" in first.text
    assert "matched by your Slack email" in first.text
    second = await bot.command("alice", "/switchboard", "whoami")
    assert "`102`" in second.text
    assert [c.method for c in second.calls].count("users.info") == 0  # link remembered
    rows = await bot.audit_rows()
    assert [(r.action, r.subject) for r in rows] == [("link.email", user_id("alice"))]


async def test_user_without_a_match_is_told_what_to_do(bot: Harness) -> None:
    reply = await bot.command("mallory", "/switchboard", "whoami")
    assert "aren't linked" in reply.text
    assert "admin" in reply.text
    assert await bot.audit_rows() == []


async def test_help_and_nonsense_show_usage(bot: Harness) -> None:
    for text in ("", "help", "frobnicate the widgets"):
        reply = await bot.command("alice", "/switchboard", text)
        assert "/switchboard whoami" in reply.text
        assert "Traceback" not in reply.text


async def test_admin_links_unlinks_and_reads_the_audit(bot: Harness) -> None:
    bob = user_id("bob")
    linked = await bot.command("admin", "/switchboard", f"link <@{bob}|bob> 104")
    assert "Linked" in linked.text
    assert "`104`" in linked.text
    who = await bot.command("bob", "/switchboard", "whoami")
    assert "`104`" in who.text
    assert "linked by an admin" in who.text

    unlinked = await bot.command("admin", "/switchboard", f"unlink <@{bob}>")
    assert "Unlinked" in unlinked.text
    again = await bot.command("bob", "/switchboard", "whoami")
    assert "aren't linked" in again.text  # no auto-link by email after an unlink

    audit = await bot.command("admin", "/switchboard", f"audit <@{bob}> 5")
    assert f"unlinked extension `104` for <@{bob}>" in audit.text
    assert f"linked extension `104` for <@{bob}>" in audit.text
    assert "ringcentral:" not in audit.text  # lines named as people know them, not by ids
    on_line = await bot.command("admin", "/switchboard", "audit line 104")
    assert "unlinked extension `104`" in on_line.text
    nothing = await bot.command("admin", "/switchboard", "audit line 999")
    assert "No linked line or hotline is numbered `999`" in nothing.text
    hostile = await bot.command("admin", "/switchboard", "audit line 1<b>&2")
    assert "numbered `1&lt;b&gt;&amp;2`" in hostile.text  # what was typed, escaped
    actions = [r.action for r in await bot.audit_rows()]
    assert actions == ["unlink", "link.admin"]


async def test_non_admin_is_refused_before_any_provider_call(bot: Harness) -> None:
    await bot.command("alice", "/switchboard", "whoami")
    before = bot.rc_faults.count("")
    for text in (f"link <@{user_id('bob')}> 103", f"unlink <@{user_id('bob')}>", "audit"):
        reply = await bot.command("alice", "/switchboard", text)
        assert "Only Switchboard admins" in reply.text
    assert bot.rc_faults.count("") == before
    assert [r.action for r in await bot.audit_rows()] == ["link.email"]


async def test_link_to_unknown_extension_changes_nothing(bot: Harness) -> None:
    reply = await bot.command("admin", "/switchboard", f"link <@{user_id('bob')}> 999")
    assert "no extension `999`" in reply.text
    assert await bot.audit_rows() == []


async def test_link_accepts_voipnow_and_smspartner_lines(bot: Harness) -> None:
    dave = user_id("bob")
    voip = await bot.command("admin", "/switchboard", f"link <@{dave}> voipnow:12/0003*210")
    assert "VoipNow extension `0003*210`" in voip.text
    bad = await bot.command("admin", "/switchboard", f"link <@{dave}> voipnow:twelve")
    assert "`voipnow:&lt;userId&gt;/&lt;extension&gt;`" in bad.text  # `<`, `>` escaped for Slack
    sms = await bot.command("admin", "/switchboard", f"link <@{dave}> smspartner:+33612345678")
    assert "virtual number `+33 6 12 34 56 78`" in sms.text  # written as everywhere
    other = await bot.command("admin", "/switchboard", f"link <@{dave}> smspartner:+33698765432")
    assert "isn't one this deployment manages" in other.text


async def test_unexpected_failure_shows_a_reference_not_a_trace(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot.runtime.database.session() as session:
        await session.execute(sa.text("DROP TABLE links"))
    reply = await bot.command("alice", "/switchboard", "whoami")
    match = re.search(r"Something went wrong \(ref ([0-9a-f]{6})\)", reply.text)
    assert match, reply.text
    assert "Traceback" not in reply.text
    assert "links" not in reply.text
    assert any(match.group(1) in record.getMessage() for record in caplog.records)


async def test_oncall_without_rotations_says_how_to_start(bot: Harness) -> None:
    reply = await bot.command("alice", "/oncall", "")
    assert reply.status == 200
    assert "no rotation yet" in reply.text
