"""Request bodies exactly as Slack sends them, signed: the shell's (and tests') way in."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from bot.devkit.shell.standin import TEAM_ID, TRIGGERS

SHELL_CHANNEL = "C0SHELL"  # where the shell's commands are typed (#shell)


def trigger_id() -> str:
    """A fresh trigger, minted as the interaction is sent (the stand-in checks its age and use)."""
    return TRIGGERS.mint()


def slash_command(
    *,
    user_id: str,
    user_name: str,
    command: str,
    text: str,
    response_url: str,
    team_id: str = TEAM_ID,
) -> bytes:
    return urlencode(
        {
            "token": "shell",
            "team_id": team_id,
            "team_domain": "example",
            "channel_id": SHELL_CHANNEL,
            "channel_name": "shell",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": "A0SWITCHB",
            "response_url": response_url,
            "trigger_id": trigger_id(),
        }
    ).encode()


def interactive(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_action(
    *,
    user_id: str,
    user_name: str,
    action: dict[str, Any],
    response_url: str,
    view: dict[str, Any] | None = None,
    message_ts: str | None = None,
    team_id: str = TEAM_ID,
) -> bytes:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "example"},
        "user": {"id": user_id, "username": user_name, "team_id": team_id},
        "api_app_id": "A0SWITCHB",
        "token": "shell",
        "trigger_id": trigger_id(),
        "actions": [{**action, "action_ts": f"{time.time():.6f}"}],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts or "1.0",
            "channel_id": SHELL_CHANNEL,
        }
        payload["channel"] = {"id": SHELL_CHANNEL, "name": "shell"}
        payload["message"] = {"ts": message_ts or "1.0"}
        payload["response_url"] = response_url
    return interactive(payload)


def view_submission(
    *,
    user_id: str,
    user_name: str,
    view: dict[str, Any],
    values: dict[str, Any],
    team_id: str = TEAM_ID,
) -> bytes:
    submitted = {**view, "state": {"values": values}}
    return interactive(
        {
            "type": "view_submission",
            "team": {"id": team_id, "domain": "example"},
            "user": {"id": user_id, "username": user_name, "team_id": team_id},
            "api_app_id": "A0SWITCHB",
            "token": "shell",
            "trigger_id": trigger_id(),
            "view": submitted,
        }
    )


def event(*, event: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "token": "shell",
            "team_id": TEAM_ID,
            "api_app_id": "A0SWITCHB",
            "type": "event_callback",
            "event_id": f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
            "event": event,
        }
    ).encode()


def app_home_opened(user_id: str) -> bytes:
    return event(event={"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"})
