"""What Bolt is handed parses to exactly what Slack sent, and never looks interactive."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from hypothesis import given
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body

from bot.web.payload_guard import raw_for_bolt

FORM = "application/x-www-form-urlencoded"
pieces = st.sampled_from(["payload", "pay", "load", " ", "&", "=", "%", "é", "a"])
words = st.lists(pieces, max_size=8).map("".join)


@given(text=words, channel=words)
def test_commands_parse_as_sent(text: str, channel: str) -> None:
    form = {"command": "/forward", "text": text, "channel_name": channel, "user_id": "U1"}
    raw = urlencode(form).encode()
    assert parse_body(raw_for_bolt(raw, FORM), FORM) == form
    assert dict(parse_qsl(raw_for_bolt(raw, FORM), keep_blank_values=True)) == form


def test_interactive_and_json_bodies_are_untouched() -> None:
    interactive = urlencode({"payload": '{"type": "block_actions", "x": "payload"}'}).encode()
    assert raw_for_bolt(interactive, FORM) == interactive.decode()
    event = b'{"type": "event_callback", "event": {"text": "payload"}}'
    assert raw_for_bolt(event, "application/json") == event.decode()
