"""Provider reads shared: identical reads in flight together, and reads a person just made.

Ten people (or one impatient person) asking for the same list while the provider is
still answering the first ask cost one call, not ten (`InFlight`). A change sent through
the same client forgets the reads in flight, so nothing read after a change can predate it.

What a window or the App Home shows may also come from an identical read made in the last
`RECENT_READ_SECONDS` (`Recent`), inside `recent_reads()` only: a person opening a window,
saving in it and seeing it re-drawn reads each thing once, not at every step. Reads kept
are those of a line's resource (its forwarding numbers, its answering rules, its
comm-handling); a change this instance sends to that resource forgets them at once, so a
person sees their own change at once. A change made elsewhere (RingCentral's own apps,
another instance) shows within `RECENT_READ_SECONDS`. Everywhere else (a change's own
reads, the handoff engine, reverts, typed `list`/`status`) every read goes to the provider.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from bot.domain.clock import monotonic

T = TypeVar("T")

RECENT_READ_SECONDS = 10.0  # README: how soon a change made in RingCentral's apps shows
RECENT_READS_KEPT = 10_000  # answers kept at most per provider client (oldest go first)

_reuse: ContextVar[bool] = ContextVar("reuse_recent_reads", default=False)


@contextmanager
def recent_reads(on: bool = True) -> Iterator[None]:
    """Reads in the block may be answered by an identical read of the last few seconds
    (what is shown to a person); with `on` False, or outside the block, they are fresh."""
    token = _reuse.set(on)
    try:
        yield
    finally:
        _reuse.reset(token)


def reusing() -> bool:
    return _reuse.get()


class InFlight(Generic[T]):
    def __init__(self) -> None:
        self._pending: dict[Hashable, asyncio.Future[T]] = {}

    async def join(self, key: Hashable, start: Callable[[], Awaitable[T]]) -> T:
        """The answer of the read already in flight under `key`, or of a new one."""
        shared = self._pending.get(key)
        if shared is None:
            shared = asyncio.ensure_future(start())
            self._pending[key] = shared
            shared.add_done_callback(lambda done: self._settle(key, done))
        # One waiter giving up (a cancelled request) must not cancel the others' read.
        return await asyncio.shield(shared)

    def forget_all(self) -> None:
        """After a change: reads that start from now on go to the provider again."""
        self._pending.clear()

    def _settle(self, key: Hashable, done: asyncio.Future[T]) -> None:
        if self._pending.get(key) is done:
            del self._pending[key]
        if not done.cancelled():
            done.exception()  # retrieved here, so a read nobody awaits any more logs nothing


class Recent(Generic[T]):
    """Answers of reads, by key, for `seconds` from when the read started; each in a
    scope (the resource it reads) that a change forgets."""

    def __init__(
        self,
        *,
        seconds: float = RECENT_READ_SECONDS,
        kept: int = RECENT_READS_KEPT,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self._seconds = seconds
        self._kept = kept
        self._clock = clock
        self._answers: dict[Hashable, tuple[float, Hashable, T]] = {}  # key: (read at, scope, answer)
        self._changes = 0  # changes started or ended so far

    def get(self, key: Hashable) -> T | None:
        found = self._answers.get(key)
        if found is None:
            return None
        if self._clock() - found[0] > self._seconds:
            del self._answers[key]
            return None
        return found[2]

    def start(self) -> tuple[float, int]:
        """Taken when a read starts; `keep` needs it (a read overlapping a change isn't kept)."""
        return self._clock(), self._changes

    def keep(
        self, key: Hashable, scope: Hashable, answer: T, started: tuple[float, int], *, new: bool
    ) -> None:
        """Keep a read's answer, unless a change started or ended while it was read; with
        `new` False only an answer already kept is replaced (a fresh read refreshes it)."""
        if started[1] != self._changes or (not new and key not in self._answers):
            return
        self._answers.pop(key, None)  # re-inserted last: the oldest stay first in line
        if len(self._answers) >= self._kept:
            self._drop_expired()
        while len(self._answers) >= self._kept:
            del self._answers[next(iter(self._answers))]
        self._answers[key] = (started[0], scope, answer)

    def changed(self, scope: Hashable | None) -> None:
        """A change to `scope` (None: unknown, so all) starts or ends: its answers go."""
        self._changes += 1
        self._answers = {
            key: kept for key, kept in self._answers.items() if scope is not None and kept[1] != scope
        }

    def _drop_expired(self) -> None:
        now = self._clock()
        self._answers = {
            key: kept for key, kept in self._answers.items() if now - kept[0] <= self._seconds
        }
