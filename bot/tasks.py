"""Tracked background work: Slack is acknowledged first, provider work runs here.

Bolt's own lazy listeners start bare tasks that nobody awaits at shutdown, so we keep our
own small runner: a task set, a bound on how many run at once (beyond it the user hears
"busy"), cancellation on shutdown with a notice to each user, and every failure turned
into one sentence for the user and a log line with the request id.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.context import slack_user_var
from bot.errors import describe

log = logging.getLogger(__name__)

Reply = Callable[[str], Awaitable[Any]]

BUSY = "Switchboard is busy right now; please try again in a moment."
SHUTTING_DOWN = "Switchboard restarted before it could finish; please try again."


@dataclass
class _Reservation:
    """A slot kept for one admitted request; shared by copies of its context, used once."""

    runner: TaskRunner
    owner: str
    open: bool = True


_holding: contextvars.ContextVar[_Reservation | None] = contextvars.ContextVar(
    "switchboard_reserved_slot", default=None
)


class TaskRunner:
    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        self._tasks: set[asyncio.Task[None]] = set()
        self._notices: set[asyncio.Task[None]] = set()  # "busy" replies: tracked, not counted
        self._closing = False
        self._idle = asyncio.Event()
        self._idle.set()
        self._room: collections.deque[asyncio.Future[None]] = collections.deque()
        self._reserved = 0  # slots reserved for admitted requests that haven't spawned yet
        self._owners: dict[asyncio.Task[None], str] = {}
        self._by_owner: collections.Counter[str] = collections.Counter()  # tasks + reservations

    @property
    def running(self) -> int:
        return len(self._tasks)

    def in_progress(self, owner: str) -> int:
        """How much of one person's work is admitted or running (CONTRACT: at most 3)."""
        return self._by_owner[owner]

    @property
    def full(self) -> bool:
        """At the bound (slots reserved for admitted requests count as taken)."""
        return len(self._tasks) + self._reserved >= self.limit

    async def wait_for_room(self, seconds: float, *, owner: str = "-") -> bool:
        """Back-pressure: wait up to `seconds` for a slot, first come first served.

        Under a burst, holding an ack a moment (well within Slack's 3 s) gives the user a
        real answer instead of "busy", and spends the time on work instead of refusals.
        True means a slot is reserved for this request: its next `spawn` takes it, and
        `offer_room` at the end of the request gives it back if unused. Newcomers queue
        behind those already waiting, so nobody is overtaken and waits twice.
        """
        if self._closing:
            return False
        if not self.full and not self._room:
            self._reserved += 1
            self._by_owner[owner] += 1
            _holding.set(_Reservation(self, owner))
            return True
        waiter = asyncio.get_running_loop().create_future()
        self._room.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), seconds)
        except TimeoutError:
            pass
        finally:
            if waiter in self._room:
                self._room.remove(waiter)
        if not waiter.done():
            return False
        self._by_owner[owner] += 1
        _holding.set(_Reservation(self, owner))  # _wake_next reserved the slot for us
        return True

    def offer_room(self) -> None:
        """At the end of an admitted request: an unused reserved slot goes to the next in line."""
        if self._take_reservation() is not None:
            self._wake_next()

    def _take_reservation(self) -> str | None:
        """The owner of this request's open reservation (now closed), if it has one."""
        reservation = _holding.get()
        if reservation is None or reservation.runner is not self or not reservation.open:
            return None
        reservation.open = False
        self._reserved -= 1
        self._release(reservation.owner)
        return reservation.owner

    def _release(self, owner: str) -> None:
        self._by_owner[owner] -= 1
        if self._by_owner[owner] <= 0:
            del self._by_owner[owner]

    def _wake_next(self) -> None:
        while self._room and not self.full:
            waiter = self._room.popleft()
            if not waiter.done():
                self._reserved += 1
                waiter.set_result(None)

    def spawn(self, work: Coroutine[Any, Any, Any], *, reply: Reply | None = None) -> bool:
        """Run `work` in the background; False (and the user told) when over the bound."""
        # The slot kept when this request was admitted, if any; the work counts as its owner's.
        owner = self._take_reservation() or slack_user_var.get()
        if self._closing or self.full:
            work.close()
            if reply is not None:
                self._fire_and_forget(reply, BUSY if not self._closing else SHUTTING_DOWN)
            return False
        task = asyncio.create_task(self._guard(work, reply))
        self._tasks.add(task)
        self._owners[task] = owner
        self._by_owner[owner] += 1
        self._idle.clear()
        task.add_done_callback(self._done)
        return True

    async def _guard(self, work: Coroutine[Any, Any, Any], reply: Reply | None) -> None:
        try:
            await work
        except asyncio.CancelledError:
            if reply is not None:
                await _quietly(reply, SHUTTING_DOWN)
            raise
        except Exception as exc:
            sentence = describe(exc, log)
            if reply is not None:
                await _quietly(reply, sentence)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        owner = self._owners.pop(task, None)
        if owner is not None:
            self._release(owner)
        self._notices.discard(task)
        self._wake_next()
        if not self._tasks and not self._notices:
            self._idle.set()

    def _fire_and_forget(self, reply: Reply, text: str) -> None:
        task = asyncio.create_task(_quietly(reply, text))
        self._notices.add(task)
        self._idle.clear()
        task.add_done_callback(self._done)

    async def wait_idle(self) -> None:
        """Until nothing runs (used by the shell and tests after each request)."""
        while self._tasks or self._notices:
            await self._idle.wait()
            await asyncio.sleep(0)

    async def shutdown(self, grace: float = 5.0) -> None:
        """Stop taking work; give running tasks `grace` seconds, then cancel them."""
        self._closing = True
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
