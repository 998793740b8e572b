"""Identical provider reads in flight at the same moment share one request.

Ten people (or one impatient person) asking for the same list while the provider is
still answering the first ask cost one call, not ten. A change sent through the same
client forgets the reads in flight, so nothing read after a change can predate it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


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
