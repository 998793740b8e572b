"""Typed notices from the core, rendered for Slack: mentions, date tokens, code spans, names, emoji."""

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


def test_a_told_transfer_fills_its_wording_with_typed_parts() -> None:
    from bot.services.told import told_about

    after = {"kind": "user", "value": "U0CAROL", "with": "<Acme> & co"}
    told = told_about(actor="U0ADMIN", subject="U0BOB", line="101", action="transfer.for", after=after)
    assert told is not None
    assert render(told.text("US")) == (
        "<@U0ADMIN> moved your live call with &lt;Acme&gt; &amp; co to <@U0CAROL> for you. "
        "Ask them, or a Switchboard admin, if that's unexpected."
    )


def test_an_error_about_a_person_is_rendered_by_the_slack_side_and_logged_plainly() -> None:
    import logging

    from bot.domain.notices import plain
    from bot.errors import UserError, said
    from bot.slack.errors import describe

    error = UserError(message(Person("U0BOB"), " isn't linked to a phone line yet."))
    assert describe(error, logging.getLogger("test")) == "<@U0BOB> isn't linked to a phone line yet."
    assert plain(said(error, logging.getLogger("test"))) == "U0BOB isn't linked to a phone line yet."
    assert str(error) == "U0BOB isn't linked to a phone line yet."


def test_fill_and_join_keep_our_wording_around_the_parts() -> None:
    from bot.domain.notices import fill, join

    names = join(", ", [message(Verbatim("Desk")), message(Verbatim("Cell"), " (2)")])
    assert render(fill("flip digits: {names}.", names=names)) == "flip digits: `Desk`, `Cell` (2)."
    assert render(join(", ", [])) == ""


def test_an_icon_is_an_emoji_in_slack_and_nothing_in_a_log() -> None:
    from bot.domain.notices import Icon, plain

    warning = message(Icon.WARNING, "The ", Name("support"), " handoff is at risk.")
    assert render(warning) == ":warning: The support handoff is at risk."
    assert plain(warning) == "The support handoff is at risk."
    reminder = message(Icon.REMINDER, "Your ", Name("a_b", strong=True), " shift starts")
    assert render(reminder) == ":alarm_clock: Your *a_b* shift starts"
    assert {render(message(icon)) for icon in Icon} <= {":warning: ", ":alarm_clock: "}
