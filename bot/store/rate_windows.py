"""Sliding rate windows: one row per (token, throttling group), shared by every instance.

On PostgreSQL each operation runs under the store's named lock (a transaction-scoped
advisory lock), so two instances can never both take the last place in a window. SQLite
is one instance (docs/contract.md: PostgreSQL for several), and `BEGIN IMMEDIATE` would lock the
whole file for every provider request, deadlocking against a token refresh that holds it
while it calls the token endpoint; there the rows live in this process, keyed by the
database. Times are epoch seconds from the caller's wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.store.db import Database
from bot.store.models import RateWindow


@dataclass(frozen=True, slots=True)
class Reservation:
    granted: bool
    wait: float  # when not granted: seconds until a place frees up (or the penalty ends)
    used: int  # sends in the window, this one included when granted
    limit: int  # the limit that applied (the platform's announced one when lower)
    penalized: bool = False


class _Window(Protocol):
    sent: list[float]
    penalty_until: float | None
    announced_limit: int | None


@dataclass
class _LocalWindow:
    sent: list[float] = field(default_factory=list)
    penalty_until: float | None = None
    announced_limit: int | None = None


_LOCAL: dict[tuple[str, str], _LocalWindow] = {}


def _recent(row: _Window, now: float, window: float) -> list[float]:
    return sorted(t for t in row.sent or [] if t > now - window)


def _reserve(
    row: _Window, *, limit: int, cap: int, window: float, now: float, count: bool
) -> Reservation:
    effective = min(limit, row.announced_limit or limit)
    cap = max(1, min(cap, effective))
    if row.penalty_until is not None and row.penalty_until > now:
        return Reservation(False, row.penalty_until - now, 0, effective, penalized=True)
    if not count:
        return Reservation(True, 0.0, 0, effective)  # only the penalty holds; nothing recorded
    sent = _recent(row, now, window)
    if len(sent) >= cap:
        wait = sent[len(sent) - cap] + window - now
        return Reservation(False, max(wait, 0.001), len(sent), effective)
    row.sent = [*sent, now]  # a new list: the JSON column sees the change
    return Reservation(True, 0.0, len(sent) + 1, effective)


def _release(row: _Window, at: float) -> None:
    """Give back the place taken at `at` (its send did not happen)."""
    sent = list(row.sent or [])
    if at in sent:
        sent.remove(at)
        row.sent = sent


def _penalize(row: _Window, until: float) -> None:
    row.penalty_until = max(until, row.penalty_until or 0.0)


def _announce(row: _Window, *, limit: int, remaining: int, window: float, now: float) -> None:
    """Places the platform counts but we don't (sends by another app on the same login, or
    before a restart) are filled with sends stamped now: they free up a window from now."""
    row.announced_limit = limit
    sent = _recent(row, now, window)
    missing = (limit - remaining) - len(sent)
    row.sent = sent + [now] * max(0, missing)


T = TypeVar("T")


class _Shared:
    """Run one of the functions above on the bucket's row, under its lock."""

    def __init__(self, database: Database, bucket: str) -> None:
        self.database, self.bucket = database, bucket

    async def apply(self, change: Callable[[_Window], T]) -> T:
        if self.database.is_sqlite:
            row = _LOCAL.setdefault((self.database.url, self.bucket), _LocalWindow())
            return change(row)
        async with self.database.locked(f"rate:{self.bucket}") as session:
            stored = await session.get(RateWindow, self.bucket)
            if stored is None:
                stored = RateWindow(bucket=self.bucket, sent=[], penalty_until=None)
                session.add(stored)
            return change(stored)


async def reserve(
    database: Database,
    *,
    bucket: str,
    limit: int,
    cap: int,
    window: float,
    now: float,
    count: bool = True,
) -> Reservation:
    """Take a place if fewer than `cap` (≤ limit) were sent in the window and no penalty runs;
    with `count=False` only the penalty is checked and no send is recorded."""
    return await _Shared(database, bucket).apply(
        lambda row: _reserve(row, limit=limit, cap=cap, window=window, now=now, count=count)
    )


async def release(database: Database, *, bucket: str, at: float) -> None:
    """The place reserved at `at` was not used: it is free again."""
    await _Shared(database, bucket).apply(lambda row: _release(row, at))


async def penalize(database: Database, *, bucket: str, until: float) -> None:
    """A 429 was answered: nothing of this bucket is sent before `until`, on any instance."""
    await _Shared(database, bucket).apply(lambda row: _penalize(row, until))


async def announce(
    database: Database, *, bucket: str, limit: int, remaining: int, window: float, now: float
) -> None:
    """The platform's `X-Rate-Limit-*` said fewer places are left than we counted: believe it."""
    await _Shared(database, bucket).apply(
        lambda row: _announce(row, limit=limit, remaining=remaining, window=window, now=now)
    )
