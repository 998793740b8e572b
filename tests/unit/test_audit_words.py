"""One wording for the audit log: every action the code records reads as words, never as its
stored name, and numbers and people in it are written as everywhere else."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.capabilities import Capabilities
from bot.providers.ringcentral import declaration as ringcentral
from bot.providers.smspartner import declaration as smspartner
from bot.providers.voipnow import declaration as voipnow
from bot.services import change_words
from bot.slack.rendering import render
from bot.store.audit import AuditRecord
from handlers.admin import audit_text

ROOT = Path(__file__).resolve().parents[2]
ACTION = re.compile(
    r"\"((?:forwarding|toggle|transfer|call|link|unlink|rotation|oncall|signin)(?:\.[a-z_]+)+)\""
)
NOT_AUDITED = {"oncall.reminder"}  # an idempotency key's action, never an audit row
# Every provider declared, as the runtime's capabilities are when all of them are in use.
EVERY = Capabilities([ringcentral.DECLARATION, voipnow.DECLARATION, smspartner.DECLARATION])


def change(entry: AuditRecord, when: Callable[[str], str]) -> str:
    return audit_text.change(entry, when, capabilities=EVERY)


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(ACTION.findall(path.read_text(encoding="utf-8")))
    return found - NOT_AUDITED


def entry(action: str, before: object = None, after: object = None) -> AuditRecord:
    now = datetime(2026, 12, 5, 9, tzinfo=UTC)
    return AuditRecord(now, "UALICE00001", "UALICE00001", "ringcentral:1", action, before, after, "r")


def test_every_recorded_action_has_words() -> None:
    actions = recorded_actions()
    assert {"call.voicemail", "call.forward", "transfer.for", "forwarding.add"} <= actions
    for action in sorted(actions):
        said = change(entry(action), str)
        assert said != render(change_words.unnamed(action)), f"{action} has no wording in the audit log"
        assert action not in said


def test_an_action_without_words_is_still_said_in_words() -> None:
    assert change(entry("rotation.frobnicate"), str) == "made a change (rotation frobnicate)"


def test_numbers_and_people_are_written_as_everywhere_else() -> None:
    forwarded = change(entry("call.forward", after={"to": "+14155550123"}), str)
    assert forwarded == "sent a ringing call to `(415) 555-0123`"
    moved = change(
        entry(
            "transfer",
            before={"with": "+14085550111"},
            after={"to": "<@UBOB0000001> (ext `103`)", "kind": "user", "value": "UBOB0000001"},
        ),
        str,
    )
    assert moved == "moved a call with `(408) 555-0111` to <@UBOB0000001>"  # Slack names them
    added = change(entry("forwarding.add", after={"phone": "+33142685300", "label": "Paris"}), str)
    assert added == "added `+33 1 42 68 53 00` (Paris)"


def test_an_escalation_reads_as_whom_the_hotline_rings() -> None:
    assert change(
        entry("rotation.escalate", after={"escalate_to": "next", "ring_seconds": 20}), str
    ) == ("set the hotline to ring the next member after 20 s")
    backup = change(
        entry("rotation.escalate", after={"escalate_to": "UBOB0000001", "ring_seconds": 30}), str
    )
    assert backup == "set the hotline to ring <@UBOB0000001> after 30 s"
    assert (
        change(entry("rotation.escalate", after={"escalate_to": ""}), str)
        == "turned off ringing a backup"
    )


def test_on_call_time_off_and_cover_read_with_their_times() -> None:
    span = {"start": "2026-12-07T09:00:00+00:00", "end": "2026-12-07T17:00:00+00:00"}
    assert change(entry("oncall.away", after=span), lambda _: "T") == "took time off from T to T"
    asked = change(entry("rotation.cover.ask", after=span), lambda _: "T")
    assert asked == "asked for cover from T to T"
