"""The product's one clock: every reading of the time goes through here.

`now()` is the wall-clock moment in UTC (services take it as their `clock` argument, so a
test or the shell can hand them another); `epoch()` is the same moment in seconds, for
the wire (Slack's request timestamps) and windows shared between instances; `monotonic()`
measures durations, gaps and deadlines in one process, which must not jump when the
wall clock is set.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def epoch() -> float:
    return time.time()


def monotonic() -> float:
    return time.monotonic()
