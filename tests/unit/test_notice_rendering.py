"""Typed notices from the core, rendered for Slack: mentions, date tokens, code spans, names."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.notices import Name, Person, Verbatim, When, message
from bot.slack.rendering import render


def test_a_handoff_notice_renders_as_the_engine_used_to_write_it() -> None:
    end = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
    notice = message(
        Person("U0ALICE"),
        " is now on call for ",
        Name("Support <Tier 1>", strong=True),
        " until ",
        When(end),
        "; the hotline ",
        Verbatim("sup`port"),
        " forwards to ",
        Verbatim("(650) 555-0100"),
    ) + message(".")
    assert render(notice) == (
        "<@U0ALICE> is now on call for *Support &lt;Tier 1&gt;* until "
        f"<!date^{int(end.timestamp())}^{{date_short_pretty}} {{time}}|Mon 07 Dec 17:00 UTC>; "
        "the hotline `sup'port` forwards to `(650) 555-0100`."
    )


def test_a_name_that_is_not_the_subject_is_escaped_but_not_bold() -> None:
    assert render(message("The ", Name("a & b"), " hotline")) == "The a &amp; b hotline"


def test_plain_text_is_sent_as_written() -> None:
    assert render("Your calls ring as usual again.") == "Your calls ring as usual again."


def test_a_change_someone_else_made_is_told_with_their_mention() -> None:
    from bot.services.told import told_about

    told = told_about(actor="U0ADMIN", subject="U0BOB", line="101", action="unlink", after=None)
    assert told is not None
    assert render(told.text("US")) == (
        "<@U0ADMIN> unlinked your phone line(s) from Switchboard for you. "
        "Ask them, or a Switchboard admin, if that's unexpected."
    )
