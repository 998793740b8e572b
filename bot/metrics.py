"""Prometheus metrics, served at GET /metrics (docs/contract.md "A stranger can clone, install
and operate it").

Every label takes its value from a short fixed list (command names, outcomes, provider names,
a provider's throttling groups, HTTP status codes): never a user id, a number, a token or text
someone typed. Counters are process-wide, like the process they describe.

A slash command is counted once, when its outcome is known: at the ack when it did all its
work there, or when the last background task it started ends. The outcome is the worst thing
that happened to it: `ok`, `refused` (too long, too many in progress, busy), `user_error` (a
sentence about what to fix: not allowed, not found, malformed), `provider_error`, `error`
(unexpected), `cancelled` (a shutdown).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from prometheus_client import (
    REGISTRY,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # type: ignore[no-untyped-call]  # `_created` series: noise here

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"  # Prometheus' text format
KNOWN_COMMANDS = frozenset({"/forward", "/transfer", "/oncall", "/switchboard"})
_SEVERITY = ("ok", "cancelled", "refused", "user_error", "provider_error", "error")

COMMANDS = Counter(
    "switchboard_commands", "Slash commands by outcome, counted once each.", ["command", "outcome"]
)
ACK_SECONDS = Histogram(
    "switchboard_ack_seconds",
    "Time from a Slack request's arrival to its acknowledgement (Slack waits 3 s).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
)
PROVIDER_REQUESTS = Counter(
    "switchboard_provider_requests",
    "Requests sent to a provider, by throttling group and answer (error: no answer).",
    ["provider", "group", "status"],
)
RATE_LIMITED = Counter(
    "switchboard_rate_limited",
    "Provider requests refused for a rate limit: a 429 answer, or no place in time here.",
    ["provider"],
)
QUEUE_DEPTH = Gauge(
    "switchboard_background_queue_depth", "Background work waiting in line for a free slot."
)
WEBHOOK_NOTIFICATIONS = Counter(
    "switchboard_webhook_notifications",
    "Push notification requests at the push provider's webhook, by outcome.",
    ["outcome"],
)


@dataclass(eq=False)
class CommandRecord:
    command: str
    outcome: str = "ok"
    pending: int = 0  # background tasks it started that haven't ended
    acked: bool = False
    counted: bool = False

    def worst(self, outcome: str) -> None:
        if _SEVERITY.index(outcome) > _SEVERITY.index(self.outcome):
            self.outcome = outcome

    def _settle(self) -> None:
        if self.acked and self.pending <= 0 and not self.counted:
            self.counted = True
            COMMANDS.labels(self.command, self.outcome).inc()


_current: contextvars.ContextVar[CommandRecord | None] = contextvars.ContextVar(
    "switchboard_command_record", default=None
)


def command_started(command: str) -> CommandRecord:
    """The record of the slash command this request carries (background tasks inherit it)."""
    record = CommandRecord(command if command in KNOWN_COMMANDS else "other")
    _current.set(record)
    return record


def command_acked(record: CommandRecord, outcome: str | None = None) -> None:
    if outcome is not None:
        record.worst(outcome)
    record.acked = True
    record._settle()


def current_command() -> CommandRecord | None:
    return _current.get()


def work_started(record: CommandRecord | None) -> None:
    if record is not None:
        record.pending += 1


def work_ended(record: CommandRecord | None, outcome: str | None = None) -> None:
    if record is None:
        return
    if outcome is not None:
        record.worst(outcome)
    record.pending -= 1
    record._settle()


def command_failed(outcome: str) -> None:
    """The current command (if any) met `outcome`; it is counted with its worst one."""
    record = _current.get()
    if record is not None:
        record.worst(outcome)


def exposition(*, queue_depth: int) -> bytes:
    QUEUE_DEPTH.set(queue_depth)
    return generate_latest(REGISTRY)
