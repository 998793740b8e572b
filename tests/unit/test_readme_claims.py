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
