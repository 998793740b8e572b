"""Audit rows as people read them: who did what to which line, with before and after."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.domain.times import local_time
from bot.mrkdwn import code, escape, mention
from bot.store.audit import AuditRecord


def _who(slack_id: str) -> str:
    return mention(slack_id) if slack_id[:1] in ("U", "W") else "Switchboard"


def _number(value: Any) -> str:
    if not isinstance(value, dict):
        return "a number"
    label = escape(str(value.get("label") or value.get("type") or ""))
    return f"{code(str(value.get('phone', '')))}" + (f" ({label})" if label else "")


def _forwarding(value: Any, when: Callable[[str], str]) -> str:
    if not isinstance(value, dict):
        return "forwarding"
    kind = value.get("kind")
    what = (
        f"forwarding to {code(str(value.get('target')))}"
        if kind == "forward"
        else "voicemail for every call"
    )
    until = value.get("until")
    return what + (f" until {when(str(until))}" if until else "")


def _extension(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_extension(v) for v in value) or "no line"
    if isinstance(value, dict):
        return f"extension {code(str(value.get('extension', '?')))}"
    return "a line"


def change(entry: AuditRecord, when: Callable[[str], str]) -> str:
    """The change in words, before → after where there is one."""
    before, after = entry.before, entry.after
    got: dict[str, Any] = after if isinstance(after, dict) else {}
    had: dict[str, Any] = before if isinstance(before, dict) else {}
    words: dict[str, Callable[[], str]] = {
        "forwarding.add": lambda: f"added {_number(after)}",
        "forwarding.edit": lambda: f"changed {_number(before)} → {_number(after)}",
        "forwarding.remove": lambda: f"removed {_number(before)}",
        "toggle.on": lambda: f"turned on {_forwarding(after, when)}",
        "toggle.off": lambda: (
            f"turned off {_forwarding(before, when)} ({escape(str(got.get('result', 'done')))})"
        ),
        "transfer": lambda: (
            f"moved a call with {code(str(had.get('with', '?')))} to {escape(str(got.get('to', '?')))}"
        ),
        "link.admin": lambda: (
            f"linked {_extension(after)}" + (f" (was {_extension(before)})" if before else "")
        ),
        "link.email": lambda: f"linked {_extension(after)} by Slack email",
        "link.signin": lambda: f"signed in to RingCentral as {_extension(after)}",
        "unlink": lambda: f"unlinked {_extension(before)}",
        "unlink.profile": lambda: f"unlinked {_extension(before)} (Slack profile changed)",
        "unlink.directory": lambda: f"unlinked {_extension(before)} (its email changed at the provider)",
        "unlink.replaced": lambda: f"moved {_extension(before)} to {_who(str(got.get('moved_to', '')))}",
        "rotation.save": lambda: f"saved rotation {code(str(got.get('name', '?')))}",
        "rotation.delete": lambda: f"deleted rotation {code(str(had.get('name', '?')))}",
        "rotation.take": lambda: (
            f"took the hotline from {_who(str(had.get('on_call', '')))} until {when(str(got.get('until')))}"
        ),
        "rotation.give": lambda: (
            f"gave the hotline to {_who(str(got.get('on_call', '')))} until {when(str(got.get('until')))}"
        ),
        "rotation.release": lambda: "ended an override early",
        "oncall.number": lambda: f"set the on-call number to {code(str(got.get('number', '?')))}",
        "signin.disconnect": lambda: "disconnected their own RingCentral sign-in",
    }
    describe = words.get(entry.action)
    return describe() if describe else code(entry.action)


def row(entry: AuditRecord, names: Mapping[str, str], zone: str | None, now: datetime) -> str:
    def when(iso: str) -> str:
        try:
            return local_time(datetime.fromisoformat(iso), zone, now)
        except ValueError:
            return escape(iso)

    subject = entry.subject
    whose = f" for {mention(subject)}" if subject != entry.actor and subject[:1] in ("U", "W") else ""
    line = names.get(entry.line)
    where = f" on {line}" if line else ""
    return f"• {local_time(entry.at, zone, now)} {_who(entry.actor)} {change(entry, when)}{whose}{where}"
