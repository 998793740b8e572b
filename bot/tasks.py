"""Tracked background work: Slack is acknowledged first, provider work runs here.

Bolt's own lazy listeners start bare tasks that nobody awaits at shutdown, so we keep our
own small runner: a task set, a bound on how many run at once (more wait in line, in
order; "busy" only when the line too is full), cancellation on shutdown with a notice to
each user, and every failure turned into one sentence for the user and a log line with
the request id.

Whom a failure is told is never left out: `spawn` takes a `Reply` (the person who asked,
where they asked) or, for work nobody asked for (an event Slack pushes, a webhook), a
`Nobody` saying why. How an error reads is the sender's (`describe`, given by the runtime:
`bot.slack.errors.describe` for Slack), so this runner sits below the Slack layer.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot import metrics
from bot.context import rate_wait_aside, slack_user_var
from bot.errors import outcome_of

log = logging.getLogger(__name__)

Reply = Callable[[str], Awaitable[Any]]
# logs the error as it deserves and returns the sentence for the person (as the sender writes it)
Describe = Callable[[BaseException, logging.Logger], str]


@dataclass(frozen=True)
class Nobody:
    """Work no person asked for (an event Slack pushes, a webhook): its failure is logged,
    as every failure is, and nobody is told; `reason` says why nobody waits for it."""

    reason: str


Tell = Reply | Nobody

BUSY = "Switchboard is busy right now; please try again in a moment."
QUEUE_PER_SLOT = 50  # how many may wait in line per running slot before "busy"
SHUTTING_DOWN = "Switchboard restarted before it could finish; please try again."


@dataclass
class _Reservation:
    """A slot kept for one admitted request; shared by copies of its context, used once."""

    runner: TaskRunner
    owner: str
    key: str | None = None  # what the work is, when identical work in flight is served once
    open: bool = True
    ahead: int = 0  # when its work went into line: how many were waiting before it


@dataclass
class _Queued:
    work: Coroutine[Any, Any, Any]
    tell: Tell
    context: contextvars.Context
    owner: str
    key: str | None = None
    command: metrics.CommandRecord | None = None


_holding: contextvars.ContextVar[_Reservation | None] = contextvars.ContextVar(
    "switchboard_reserved_slot", default=None
)


class TaskRunner:
    """At most `limit` tasks run at once; more wait in line (up to `queue_limit`), in order.

    Nothing waits at admission: a command is admitted (or refused) at once, its ack goes
    back to Slack, and its work runs when a slot is free. Slow providers therefore cost
    queueing time, bounded by the rate limiter's waits, never a "busy" reply while there
    is room in the line.

    Work waiting for a provider's rate budget (up to 5 s for a person) steps aside from its
    slot meanwhile: in the 9:00 burst, people waiting on the administrator's budget held
    every slot while connected people, with budget of their own, waited behind them in line.
    Back from the wait it runs at once (briefly above `limit`), its send already counted.
    """

    def __init__(self, *, limit: int, describe: Describe, queue_limit: int | None = None) -> None:
        self.limit = limit
        self._describe = describe
        self.queue_limit = queue_limit if queue_limit is not None else limit * QUEUE_PER_SLOT
        self._tasks: set[asyncio.Task[None]] = set()
        self._notices: set[asyncio.Task[None]] = set()  # "busy" replies: tracked, not counted
        self._closing = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._line: collections.deque[_Queued] = collections.deque()
        self._reserved = 0  # admitted requests that haven't spawned yet
        # running work waiting for rate budget (its waits, counted once): its slot is free
        self._aside: collections.Counter[int] = collections.Counter()
        self._owners: dict[asyncio.Task[None], str] = {}
        self._by_owner: collections.Counter[str] = collections.Counter()  # tasks + reservations
        self._keys: dict[asyncio.Task[None], str] = {}
        self._by_key: collections.Counter[str] = collections.Counter()  # the same, by work key

    @property
    def running(self) -> int:
        return len(self._tasks)

    @property
    def waiting(self) -> int:
        return len(self._line)

    def in_progress(self, owner: str) -> int:
        """How much of one person's work is admitted, waiting or running (docs/contract.md: at most 3)."""
        return self._by_owner[owner]

    @property
    def full(self) -> bool:
        """No room left, not even in line (reserved places count as taken)."""
        return len(self._tasks) + len(self._line) + self._reserved >= self.limit + self.queue_limit

    def in_flight(self, key: str) -> bool:
        """Is work admitted under `key` waiting or running?"""
        return self._by_key[key] > 0

    def admit(self, owner: str = "-", *, key: str | None = None) -> bool:
        """Keep a place for one request's work (its next `spawn` takes it); False when full.

        `offer_room` at the end of the request gives the place back if it was not used.
        `key` names the work (one person's App Home, say) for `in_flight`.
        """
        if self._closing or self.full:
            return False
        self._reserved += 1
        self._by_owner[owner] += 1
        if key is not None:
            self._by_key[key] += 1
        _holding.set(_Reservation(self, owner, key))
        return True

    def offer_room(self) -> None:
        """At the end of an admitted request: an unused place is given back."""
        self._take_reservation()

    def _take_reservation(self) -> _Reservation | None:
        """This request's open reservation (now closed), if it has one."""
        reservation = _holding.get()
        if reservation is None or reservation.runner is not self or not reservation.open:
            return None
        reservation.open = False
        self._reserved -= 1
        self._release(reservation.owner, reservation.key)
        return reservation

    def _release(self, owner: str, key: str | None = None) -> None:
        self._by_owner[owner] -= 1
        if self._by_owner[owner] <= 0:
            del self._by_owner[owner]
        if key is not None:
            self._by_key[key] -= 1
            if self._by_key[key] <= 0:
                del self._by_key[key]

    def spawn(self, work: Coroutine[Any, Any, Any], *, tell: Tell) -> bool:
        """Run `work` in the background (now, or when a slot frees); False when refused.

        Refused only when closing, or when there is no room even in line and the request
        had no place kept; the user is told in one sentence.
        """
        reservation = _holding.get()
        reserved = self._take_reservation()
        owner = reserved.owner if reserved is not None else slack_user_var.get()
        key = reserved.key if reserved is not None else None
        if self._closing or (reserved is None and self.full):
            work.close()
            metrics.command_failed("refused")
            if not isinstance(tell, Nobody):
                self._fire_and_forget(tell, BUSY if not self._closing else SHUTTING_DOWN)
            return False
        self._by_owner[owner] += 1
        if key is not None:
            self._by_key[key] += 1
        self._idle.clear()
        queued = _Queued(work, tell, contextvars.copy_context(), owner, key, metrics.current_command())
        metrics.work_started(queued.command)
        if self._room() and not self._line:
            self._start(queued)
        else:
            if reservation is not None and reservation.runner is self:
                reservation.ahead = len(self._line) + 1
            self._line.append(queued)
        return True

    def waiting_ahead(self) -> int:
        """For the request being handled: how many waited in line before its work (0: running)."""
        reservation = _holding.get()
        return reservation.ahead if reservation is not None and reservation.runner is self else 0

    def _room(self) -> bool:
        return len(self._tasks) - len(self._aside) < self.limit

    @asynccontextmanager
    async def _stepping_aside(self, queued: _Queued) -> AsyncIterator[None]:
        """While `work` waits for rate budget, its slot runs the next work in line (a work
        whose own subtasks wait together frees its one slot, not one per wait)."""
        work = id(queued)  # alive while its context holds this partial
        self._aside[work] += 1
        self._start_waiting()
        try:
            yield
        finally:
            self._aside[work] -= 1
            if self._aside[work] <= 0:
                del self._aside[work]

    def _start_waiting(self) -> None:
        while self._line and self._room():
            self._start(self._line.popleft())

    def _start(self, queued: _Queued) -> None:
        queued.context.run(rate_wait_aside.set, functools.partial(self._stepping_aside, queued))
        task = asyncio.create_task(
            self._guard(queued.work, queued.tell, queued.command), context=queued.context
        )
        self._tasks.add(task)
        self._owners[task] = queued.owner
        if queued.key is not None:
            self._keys[task] = queued.key
        task.add_done_callback(self._done)

    async def _guard(
        self, work: Coroutine[Any, Any, Any], tell: Tell, command: metrics.CommandRecord | None
    ) -> None:
        outcome = "cancelled"
        try:
            await work
            outcome = "ok"
        except asyncio.CancelledError:
            if not isinstance(tell, Nobody):
                await _quietly(tell, SHUTTING_DOWN)
            raise
        except Exception as exc:
            outcome = outcome_of(exc)
            sentence = self._describe(exc, log)
            if isinstance(tell, Nobody):
                log.info("nobody is told of that failure: %s", tell.reason)
            else:
                await _quietly(tell, sentence)
        finally:
            metrics.work_ended(command, outcome)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        owner = self._owners.pop(task, None)
        if owner is not None:
            self._release(owner, self._keys.pop(task, None))
        self._notices.discard(task)
        self._start_waiting()
        if not self._tasks and not self._notices and not self._line:
            self._idle.set()

    def _fire_and_forget(self, reply: Reply, text: str) -> None:
        task = asyncio.create_task(_quietly(reply, text))
        self._notices.add(task)
        self._idle.clear()
        task.add_done_callback(self._done)

    async def wait_idle(self) -> None:
        """Until nothing runs or waits (used by the shell and tests after each request)."""
        while self._tasks or self._notices or self._line:
            await self._idle.wait()
            await asyncio.sleep(0)

    async def shutdown(self, grace: float = 5.0) -> None:
        """Stop taking work; give running tasks `grace` seconds, then cancel them."""
        self._closing = True
        while self._line:  # never started: its person is told, nothing was sent
            queued = self._line.popleft()
            queued.work.close()
            metrics.work_ended(queued.command, "cancelled")
            self._release(queued.owner, queued.key)
            if not isinstance(queued.tell, Nobody):
                self._fire_and_forget(queued.tell, SHUTTING_DOWN)
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2.0)


async def _quietly(reply: Reply, text: str) -> None:
    try:
        await reply(text)
    except Exception:
        log.exception("could not tell the user: %s", text)
