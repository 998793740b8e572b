"""Back-pressure in the task runner: waiters are served in order and nobody overtakes them.

Each `request` here does what one Slack command does: admission, then (maybe) a spawn
into the slot it was admitted with, then the slot offered on if unused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from bot.tasks import TaskRunner


async def request(runner: TaskRunner, wait: float, work: Coroutine[Any, Any, Any] | None = None) -> bool:
    admitted = await runner.wait_for_room(wait)
    if admitted and work is not None:
        assert runner.spawn(work), "an admitted request must get its slot"
    elif work is not None:
        work.close()
    runner.offer_room()
    return admitted


async def test_admitted_requests_always_get_their_slot() -> None:
    runner = TaskRunner(limit=3)
    release = asyncio.Event()
    results = await asyncio.gather(*(request(runner, 0.05, release.wait()) for _ in range(5)))
    assert sorted(results) == [False, False, True, True, True]
    assert runner.running == 3
    release.set()
    await runner.wait_idle()


async def test_a_freed_slot_goes_to_the_first_waiter_not_a_newcomer() -> None:
    runner = TaskRunner(limit=1)
    release = asyncio.Event()
    assert await request(runner, 0, release.wait())
    first = asyncio.create_task(request(runner, 1.0, asyncio.sleep(0.2)))
    await asyncio.sleep(0)
    release.set()
    for _ in range(5):  # a few loop turns: the task ends; its slot is promised to `first`
        await asyncio.sleep(0)
    newcomer = asyncio.create_task(request(runner, 0.05, asyncio.sleep(0)))
    assert await first is True
    assert await newcomer is False  # it queued behind `first` instead of taking the slot


async def test_waiters_time_out_and_leave_no_reservation_behind() -> None:
    runner = TaskRunner(limit=1)
    release = asyncio.Event()
    await request(runner, 0, release.wait())
    results = await asyncio.gather(request(runner, 0.02), request(runner, 0.02))
    assert list(results) == [False, False]
    release.set()
    await runner.wait_idle()
    assert not runner.full
    assert await request(runner, 0.01) is True
    assert not runner.full  # admitted without work: the slot is back


async def test_a_slot_left_unused_goes_to_the_next_waiter() -> None:
    runner = TaskRunner(limit=1)
    release = asyncio.Event()
    await request(runner, 0, release.wait())
    first = asyncio.create_task(request(runner, 1.0))  # its command needs no background work
    second = asyncio.create_task(request(runner, 1.0, asyncio.sleep(0)))
    await asyncio.sleep(0)
    release.set()
    assert await first is True
    assert await asyncio.wait_for(second, 0.1) is True


async def test_no_room_once_closing() -> None:
    runner = TaskRunner(limit=5)
    await runner.shutdown()
    assert await runner.wait_for_room(1.0) is False
