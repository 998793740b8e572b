"""Audit rows as people read them: who did what to which line, with before and after."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from bot.domain.capabilities import Capabilities, Capability
from bot.domain.lines import LineRef
from bot.domain.records import AuditRecord
from bot.domain.times import local_time
from bot.mrkdwn import code, escape, mention
from bot.services import change_words as words
from bot.slack.rendering import render


def _who(slack_id: str) -> str:
    return mention(slack_id) if slack_id[:1] in ("U", "W") else "Switchboard"


def _forwarding(value: Any, when: Callable[[str], str], region: str) -> str:
    if not isinstance(value, dict):
        return "forwarding"
    kind = value.get("kind")
    what = (
        f"forwarding to {render(words.phone(value.get('target'), region))}"
        if kind == "forward"
        else "voicemail for every call"
    )
    until = value.get("until")
    return what + (f" until {when(str(until))}" if until else "")


def _signed_in_at(line: str, capabilities: Capabilities) -> str:
    """The provider of the row's line ("RingCentral"), else the one people sign in to."""
    try:
        return LineRef.parse(line).provider.display
    except ValueError:
        return capabilities.named(Capability.PERSONAL_SIGN_IN)


def _escalation(value: dict[str, Any]) -> str:
    """Whom the hotline rings after the on-call person: the next member, one member, or none."""
    to = str(value.get("escalate_to") or "")
    if not to:
        return "turned off ringing a backup"
    who = "the next member" if to == "next" else _who(to)
    return f"set the hotline to ring {who} after {escape(str(value.get('ring_seconds', '?')))} s"


def change(
    entry: AuditRecord,
    when: Callable[[str], str],
    region: str = "US",
    *,
    capabilities: Capabilities,
) -> str:
    """The change in words, before → after where there is one (`capabilities`: the runtime's,
    naming the provider people sign in to when the row's line doesn't)."""
    before, after = entry.before, entry.after
    got: dict[str, Any] = after if isinstance(after, dict) else {}
    had: dict[str, Any] = before if isinstance(before, dict) else {}

    def moved() -> str:
        return f"moved a call with {render(words.phone(had.get('with'), region))} to {render(words.destination(got, region))}"

    named: dict[str, Callable[[], str]] = {
        "forwarding.add": lambda: f"added {render(words.number(after, region))}",
        "forwarding.edit": lambda: (
            f"changed {render(words.number(before, region))} → {render(words.number(after, region))}"
        ),
        "forwarding.remove": lambda: f"removed {render(words.number(before, region))}",
        "toggle.on": lambda: f"turned on {_forwarding(after, when, region)}",
        "toggle.off": lambda: (
            f"turned off {_forwarding(before, when, region)} ({escape(str(got.get('result', 'done')))})"
        ),
        "transfer": moved,
        "transfer.for": moved,
        "call.voicemail": lambda: "sent a ringing call to voicemail",
        "call.forward": lambda: f"sent a ringing call to {render(words.destination(got, region))}",
        "link.admin": lambda: (
            f"linked {render(words.extension(after))}"
            + (f" (was {render(words.extension(before))})" if before else "")
        ),
        "link.email": lambda: f"linked {render(words.extension(after))} by Slack email",
        "link.signin": lambda: (
            f"signed in to {_signed_in_at(entry.line, capabilities)} as {render(words.extension(after))}"
        ),
        "unlink": lambda: f"unlinked {render(words.extension(before))}",
        "unlink.profile": lambda: f"unlinked {render(words.extension(before))} (Slack profile changed)",
        "unlink.replaced": lambda: (
            f"moved {render(words.extension(before))} to {_who(str(got.get('moved_to', '')))}"
        ),
        "unlink.directory": lambda: (
            f"unlinked {render(words.extension(before))} (its email changed at the provider)"
        ),
        "rotation.save": lambda: f"saved rotation {code(str(got.get('name', '?')))}",
        "rotation.delete": lambda: f"deleted rotation {code(str(had.get('name', '?')))}",
        "rotation.take": lambda: (
            f"took the hotline from {_who(str(had.get('on_call', '')))} until {when(str(got.get('until')))}"
        ),
        "rotation.give": lambda: (
            f"gave the hotline to {_who(str(got.get('on_call', '')))} until {when(str(got.get('until')))}"
        ),
        "rotation.release": lambda: "ended an override early",
        "rotation.escalate": lambda: _escalation(got),
        "rotation.group": lambda: (
            f"set the on-call user group to {code(str(got.get('group')))}"
            if got.get("group")
            else "stopped keeping an on-call user group"
        ),
        "rotation.cover.ask": lambda: (
            f"asked for cover from {when(str(got.get('start')))} to {when(str(got.get('end')))}"
        ),
        "rotation.cover.take": lambda: (
            f"covered for {_who(str(had.get('on_call', '')))} until {when(str(got.get('until')))}"
        ),
        "oncall.away": lambda: (
            f"took time off from {when(str(got.get('start')))} to {when(str(got.get('end')))}"
        ),
        "oncall.away.cancel": lambda: "cancelled their time off",
        "oncall.calendar": lambda: "asked for a calendar feed of the shifts",
        "oncall.calendar.reset": lambda: "gave the calendar feed a new address",
        "oncall.number": lambda: (
            f"set the on-call number to {render(words.phone(got.get('number'), region))}"
        ),
        "signin.disconnect": lambda: (
            f"disconnected their own {_signed_in_at(entry.line, capabilities)} sign-in"
        ),
    }
    describe = named.get(entry.action)
    return describe() if describe else render(words.unnamed(entry.action))


def row(
    entry: AuditRecord,
    names: Mapping[str, str],
    zone: str | None,
    now: datetime,
    region: str = "US",
    *,
    capabilities: Capabilities,
) -> str:
    def when(iso: str) -> str:
        try:
            return local_time(datetime.fromisoformat(iso), zone, now)
        except ValueError:
            return escape(iso)

    subject = entry.subject
    whose = f" for {mention(subject)}" if subject != entry.actor and subject[:1] in ("U", "W") else ""
    line = names.get(entry.line)
    where = f" on {line}" if line else ""
    return f"• {local_time(entry.at, zone, now)} {_who(entry.actor)} {change(entry, when, region, capabilities=capabilities)}{whose}{where}"
