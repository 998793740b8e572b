"""The parts of a change in words, one wording for the audit log and the DMs that tell people.

Stored audit values are data (numbers in E.164, Slack user ids, extension numbers); they are
put in words here, never shown as stored: numbers through `bot.phone.shown` (the one
formatter), people as a `Person` (the sender writes the mention: Slack, and the shell, show
their names), as typed messages (`bot.domain.notices`) the sender renders.
"""

from __future__ import annotations

from typing import Any

from bot.domain.notices import Message, Name, Person, Verbatim, join, message
from bot.phone import shown


def number(value: Any, region: str) -> Message:
    """A forwarding number: `(650) 555-0199` (Desk)."""
    if not isinstance(value, dict):
        return message("a number")
    label = str(value.get("label") or value.get("type") or "")
    said = message(Verbatim(shown(str(value.get("phone", "")), region)))
    return message(said, " (", Name(label), ")") if label else said


def phone(value: Any, region: str) -> Message:
    return message(Verbatim(shown(str(value), region)) if value else "a number")


def destination(after: Any, region: str) -> Message:
    """Where a call went, from a transfer's or a call card's stored `after`."""
    got = after if isinstance(after, dict) else {}
    kind, value = got.get("kind"), str(got.get("value") or "")
    if kind == "user" and value[:1] in ("U", "W"):
        return message(Person(value))
    if kind == "extension":
        return message("extension ", Verbatim(value))
    if kind == "number":
        return phone(value, region)
    if kind == "flip":
        return message("their ", Name(value), " number (call flip)")
    to = str(got.get("to") or "")
    if kind == "voicemail" or to == "voicemail":
        return message("voicemail")
    return phone(to, region) if to[:1] == "+" else message("another number")


def extension(value: Any) -> Message:
    if isinstance(value, list):
        return join(", ", (extension(v) for v in value)) if value else message("no line")
    if isinstance(value, dict):
        return message("extension ", Verbatim(str(value.get("extension", "?"))))
    return message("a line")


def unnamed(action: str) -> Message:
    """An action no wording names yet: said in words, never as its stored name."""
    return message("made a change (", Name(action.replace(".", " ").replace("_", " ")), ")")
