"""What the README says about the bot's behaviour, checked against the code that does it.

The transcripts are run by tests/e2e/test_readme_transcripts.py; these are the sentences
around them that name a button, an endpoint or a count.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from bot.providers.ringcentral.calls import PreCallControl
from handlers.transfer import views as transfer_views

README = Path(__file__).resolve().parents[2] / "README.md"


def section(title: str) -> str:
    """The README's text under `title` (a `##` or `###` heading), up to the next heading of
    the same or a higher level."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^(#+) {re.escape(title)}\n", text, re.MULTILINE)
    assert found, title
    level = len(found.group(1))
    rest = text[found.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


def row(table_text: str, first_cell: str) -> str:
    line = next((x for x in table_text.splitlines() if x.startswith(f"| {first_cell}")), None)
    assert line is not None, first_cell
    return line


def test_transfer_with_several_calls_names_the_button_it_posts() -> None:
    """`/transfer <destination>` with several live calls posts a button (its own trigger
    opens the window); the commands table says so, not that a picker opens by itself."""
    line = row(section("Commands"), "`/transfer <number")
    assert transfer_views.PICK_LABEL in line, line
    assert "picker opens" not in line


def test_the_call_card_buttons_are_described_by_the_requests_they_send() -> None:
    """The card's buttons are RingCentral's pre-call `…/forward` (a number, or the mailbox
    with `{"voicemail": …}`); the README names no other pre-call request for them (reject
    is "Ignore": the call keeps ringing the person's other phones)."""
    sent = set(re.findall(r"/parties/\{party_id\}/(\w+)", inspect.getsource(PreCallControl)))
    assert sent == {"forward"}
    live = section("Live calls in Slack")
    named = set(re.findall(r"/parties/\{id\}/(\w+)", live))
    assert named == sent, named
    assert '{"voicemail"' in live


# The README's "Attacks tried" rows, by the start of their attack cell, and the tests that
# run each (file under tests/, then the test's name).
ATTACKS: dict[str, list[str]] = {
    "a member edits the rotation form": [
        "e2e/test_trust_rotations.py::test_a_member_cannot_repoint_the_hotline_or_drop_the_others"
    ],
    "email linking as a multi/single-channel guest": [
        "e2e/test_trust_linking.py::test_only_confirmed_full_members_are_linked_by_email"
    ],
    "a second account with a colleague's email": [
        "e2e/test_trust_linking.py::test_a_second_account_with_a_colleagues_email_gets_nothing",
        "e2e/test_trust_linking.py::test_an_email_changed_to_a_colleagues_unlinks_at_once",
    ],
    "40 random Slack profiles": [
        "e2e/test_trust_linking.py::test_random_profiles_link_only_confirmed_full_members"
    ],
    "bob's `/switchboard connect` link sent on to alice": [
        "e2e/test_own_sign_in.py::test_a_sign_in_finished_in_another_browser_links_nothing",
        "e2e/test_own_sign_in.py::test_a_link_opened_by_a_colleague_who_signs_in_as_herself_links_nothing",
    ],
    "a sign-in link opened in a second browser": [
        "e2e/test_own_sign_in.py::test_ones_own_sign_in_must_finish_in_the_browser_that_opened_the_link",
        "e2e/test_own_sign_in.py::test_a_replayed_or_forged_state_links_nothing",
    ],
    "`/switchboard connect` as a multi/single-channel guest": [
        "e2e/test_own_sign_in.py::test_whoever_may_not_be_linked_by_email_may_not_connect"
    ],
    "alice's extension 102 given a new hire's email": [
        "e2e/test_trust_linking.py::test_an_extension_given_a_new_email_loses_its_email_link_on_user_change",
        "e2e/test_trust_linking.py::test_an_extension_given_a_new_email_loses_its_email_link_on_the_daily_recheck",
    ],
    "`+1 900`, `+44 909`": [
        "e2e/test_destination_paths.py::test_commands_refuse_each_risky_destination"
    ],
    "`/forward add 112 Emergency`": [
        "e2e/test_destination_paths.py::test_emergency_number_with_a_label_is_not_read_as_keypad_letters"
    ],
    "a forged toggle-menu value": [
        "e2e/test_destination_paths.py::test_forged_toggle_menu_value_is_refused",
        "e2e/test_destination_paths.py::test_forged_transfer_modal_value_is_refused",
    ],
    "~600 random numbers and texts": [
        "unit/test_destinations.py::test_no_premium_or_foreign_number_passes",
        "unit/test_destinations.py::test_random_text_is_either_a_refusal_or_an_allowed_number",
    ],
    "tokens at `LOG_LEVEL=DEBUG`": [
        "resilience/test_tokens_at_debug.py::test_tokens_stay_out_of_debug_logs_on_two_instances"
    ],
    "3 and 4 simultaneous `/forward to`": [
        "resilience/test_toggle_races.py::test_simultaneous_forwards_on_one_instance_leave_one",
        "resilience/test_toggle_races.py::test_simultaneous_forwards_on_two_instances_leave_one",
    ],
    "a 600 KiB body": [
        "resilience/test_front_limits.py::test_an_oversized_body_is_413_without_being_read",
        "resilience/test_front_limits.py::test_unsigned_requests_are_401_before_the_body",
    ],
    "timestamps of 5,000 and 13 digits": [
        "resilience/test_front_limits.py::test_absurd_timestamps_are_401_never_500"
    ],
    "a 60 KB command": [
        "resilience/test_front_limits.py::test_a_60_kb_command_is_answered_at_once_with_no_provider_call"
    ],
    "8 simultaneous commands from one person": [
        "resilience/test_front_limits.py::test_one_persons_burst_is_capped_at_three_and_others_are_not_slowed"
    ],
    "a button pressed with someone else's user id": [
        "resilience/test_front_limits.py::test_a_refused_button_reads_nothing_of_the_victims_line"
    ],
    "a signed request from another workspace": [
        "e2e/test_trust_linking.py::test_requests_from_another_workspace_are_refused"
    ],
    "a view submission naming another workspace": [
        "resilience/test_hardened_front.py::test_another_workspace_is_refused_whatever_the_view_says"
    ],
    "request heads of 17 KiB, 1 MiB and 4 MiB": [
        "e2e/test_serve_front.py::test_the_front_holds_against_heads_idle_connections_and_stalls",
        "resilience/test_hardened_front.py::test_heads_over_16_kib_are_431_whichever_parser",
    ],
    "1,000 idle TCP connections": [
        "e2e/test_serve_front.py::test_the_front_holds_against_heads_idle_connections_and_stalls"
    ],
    "JSON nested 1,000 and 33 deep": [
        "resilience/test_hardened_front.py::test_slack_events_answer_deep_or_out_of_range_json_with_400",
        "resilience/test_hardened_front.py::test_the_webhook_answers_bad_json_with_400_and_posts_no_card",
    ],
    "a telephony notification with the right token that the store can't keep": [
        "resilience/test_hardened_front.py::test_a_notification_the_store_cant_keep_posts_no_card"
    ],
    "48 quick `/forward list` from bob": [
        "resilience/test_fair_shares.py::test_one_person_cannot_use_the_whole_window_of_the_admins_token"
    ],
    "210 `app_home_opened` from bob": [
        "resilience/test_fair_shares.py::test_app_home_opens_count_as_work_and_are_served_once",
        "resilience/test_fair_shares.py::test_button_presses_count_towards_a_persons_work_in_progress",
    ],
    "a 429 with `Retry-After: 2`": [
        "resilience/test_fair_shares.py::test_a_429_with_a_short_retry_after_is_waited_out_and_answered"
    ],
    "post-dial digits": [
        "e2e/test_destination_paths.py::test_post_dial_digits_are_refused_on_every_command_and_never_dropped",
        "unit/test_destinations.py::test_post_dial_digits_are_refused_never_dropped",
    ],
    "`/transfer 999`": [
        "e2e/test_transfer.py::test_short_codes_of_every_country_are_never_sent_as_extensions"
    ],
    "`/transfer` to extensions not in the directory": [
        "e2e/test_transfer.py::test_an_extension_must_be_in_the_ringcentral_directory",
        "e2e/test_transfer.py::test_an_extension_must_be_in_the_voipnow_organization",
        "e2e/test_transfer.py::test_the_callers_own_direct_number_is_refused_like_their_extension",
    ],
    "a call card's Forward button forged": [
        "e2e/test_live_calls.py::test_the_forward_button_sends_only_to_the_owners_own_numbers"
    ],
    "a caller id, a forwarding label, a directory name": [
        "resilience/test_outside_text.py::test_commands_show_outside_text_as_text",
        "resilience/test_outside_text.py::test_an_admin_transfer_and_its_dm_show_the_caller_as_text",
        "resilience/test_outside_text.py::test_the_transfer_window_and_app_home_show_outside_text_as_text",
        "resilience/test_outside_text.py::test_call_cards_and_missed_call_dms_show_the_caller_as_text",
    ],
    "a label typed as `R&D <lab>`": [
        "resilience/test_outside_text.py::test_a_typed_label_is_stored_as_typed_and_shown_escaped_once"
    ],
    "a missed hotline call from `+1 900 …`": [
        "e2e/test_live_calls.py::test_a_missed_call_from_a_premium_number_is_never_suggested_back"
    ],
    "`/transfer for @alice` by an admin": [
        "e2e/test_transfer.py::test_transfer_for_someone_tells_them_by_dm"
    ],
}


def test_attacks_tried_states_its_count_and_each_row_is_run_by_a_test() -> None:
    tried = section("Attacks tried (the suite runs each one)")
    rows = [
        x for x in tried.splitlines() if x.startswith("| ") and not x.startswith(("| attack", "| ---"))
    ]
    stated = re.search(r"The suite runs these (\d+) attacks", tried)
    assert stated, "the section says how many attacks the suite runs"
    assert int(stated.group(1)) == len(rows)
    unmapped = [x for x in rows if not any(x.startswith(f"| {start}") for start in ATTACKS)]
    assert unmapped == [], "a row without a test"
    stale = [start for start in ATTACKS if not any(x.startswith(f"| {start}") for x in rows)]
    assert stale == [], "a mapped row the README no longer has"
    tests = README.parent / "tests"
    for start, names in ATTACKS.items():
        for name in names:
            path, function = name.split("::")
            source = (tests / path).read_text(encoding="utf-8")
            assert re.search(rf"^(async )?def {function}\(", source, re.MULTILINE), (start, name)


def test_the_connect_command_says_what_makes_a_sign_in_count() -> None:
    """docs/contract.md "Sign-in that proves ownership": the link finishes only in the browser
    that opened it, as the extension with your Slack email, and not for guests."""
    line = row(section("Commands"), "`/switchboard connect`")
    for needed in ("browser that opens it", "Slack email", "guests"):
        assert needed in line, needed
