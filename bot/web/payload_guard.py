"""Shape checks on signed requests before Bolt sees them.

A request signed with our secret is trusted to be from Slack, but Bolt itself fails with a
500 on some shapes Slack never sends (a `view` that is not an object, say). Anything that
does not look like a Slack payload is refused with 400 here, so nothing downstream has to
guess; JSON too deep or with numbers out of range among them (`bot.web.bodies`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from bot.web.bodies import load_json

INTERACTIVE = {
    "block_actions",
    "view_submission",
    "view_closed",
    "shortcut",
    "message_action",
    "block_suggestion",
}
OBJECT_FIELDS = ("user", "view", "container", "team", "channel", "message", "state")


def is_well_formed(body: bytes, content_type: str) -> bool:
    try:
        if "application/json" in content_type:
            return _event(load_json(body))
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except (ValueError, UnicodeDecodeError):
        return False
    if "payload" in form:
        try:
            return _interactive(load_json(form["payload"][0]))
        except ValueError:
            return False
    return bool(form.get("command")) and bool(form.get("user_id"))


def _event(body: Any) -> bool:
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return False
    event = body.get("event")
    return event is None or (isinstance(event, dict) and isinstance(event.get("type"), str))


def _interactive(payload: Any) -> bool:
    if not isinstance(payload, dict) or payload.get("type") not in INTERACTIVE:
        return False
    if any(key in payload and not isinstance(payload[key], dict) for key in OBJECT_FIELDS):
        return False
    user = payload.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return False
    acts = payload.get("actions", [])
    if not isinstance(acts, list) or not all(
        isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in acts
    ):
        return False  # Bolt indexes each action's action_id while matching listeners
    if payload.get("type") == "block_actions" and not acts:
        return False  # Bolt reads actions[0] of every block action
    view = payload.get("view")
    if payload["type"] in ("view_submission", "view_closed"):
        return (
            isinstance(view, dict)
            and isinstance(view.get("id"), str)
            and isinstance(view.get("type"), str)  # Bolt reads it, and fails with 500 without
            and isinstance(view.get("callback_id"), str)
        )
    return True


def raw_for_bolt(body: bytes, content_type: str) -> str:
    """The raw body to hand Bolt, which parses it again.

    Bolt takes any form body containing the word "payload" for an interactive one and
    then finds no payload in it: a slash command in a #payloads channel or with "payload"
    in its text went unhandled. Such words are re-encoded (`p%61yload` reads back as
    `payload`), so Bolt parses the command exactly as Slack sent it.
    """
    text = body.decode("utf-8")
    interactive = text.startswith("payload=") or "&payload=" in text
    if "application/json" in content_type or interactive or "payload" not in text:
        return text
    return text.replace("payload", "p%61yload")
