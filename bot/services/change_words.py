"""The parts of a change in words, one wording for the audit log and the DMs that tell people.

Stored audit values are data (numbers in E.164, Slack user ids, extension numbers); they are
put in words here, never shown as stored: numbers through `bot.phone.shown` (the one
formatter), people as mentions (Slack, and the shell, show their names).
"""

from __future__ import annotations

from typing import Any

from bot.mrkdwn import code, escape, mention
from bot.phone import shown


def number(value: Any, region: str) -> str:
    """A forwarding number: `(650) 555-0199` (Desk)."""
    if not isinstance(value, dict):
        return "a number"
    label = escape(str(value.get("label") or value.get("type") or ""))
    return code(shown(str(value.get("phone", "")), region)) + (f" ({label})" if label else "")


def phone(value: Any, region: str) -> str:
    return code(shown(str(value), region)) if value else "a number"


def destination(after: Any, region: str) -> str:
    """Where a call went, from a transfer's or a call card's stored `after`."""
    got = after if isinstance(after, dict) else {}
    kind, value = got.get("kind"), str(got.get("value") or "")
    if kind == "user" and value[:1] in ("U", "W"):
        return mention(value)
    if kind == "extension":
        return f"extension {code(value)}"
    if kind == "number":
        return phone(value, region)
    if kind == "flip":
        return f"their {escape(value)} number (call flip)"
    to = str(got.get("to") or "")
    if kind == "voicemail" or to == "voicemail":
        return "voicemail"
    return phone(to, region) if to[:1] == "+" else "another number"


def extension(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(extension(v) for v in value) or "no line"
    if isinstance(value, dict):
        return f"extension {code(str(value.get('extension', '?')))}"
    return "a line"


def unnamed(action: str) -> str:
    """An action no wording names yet: said in words, never as its stored name."""
    return "made a change (" + escape(action.replace(".", " ").replace("_", " ")) + ")"
