"""Back-pressure in the task runner: waiters are served in order and nobody overtakes them."""

from __future__ import annotations

import asyncio

from bot.tasks import TaskRunner


async def test_a_freed_slot_goes_to_the_first_waiter_not_a_newcomer() -> None:
    runner = TaskRunner(limit=1)
    release = asyncio.Event()
    assert runner.spawn(release.wait())
    assert runner.full
    first = asyncio.create_task(runner.wait_for_room(1.0))
    await asyncio.sleep(0)
    release.set()
    for _ in range(5):  # a few loop turns: the task ends; its slot is promised to `first`
        await asyncio.sleep(0)
    assert not runner.running
    newcomer = asyncio.create_task(runner.wait_for_room(0.05))
    assert await first is True
    assert runner.spawn(asyncio.sleep(0.2))  # `first` takes its slot
    assert await newcomer is False  # it queued behind `first` instead of taking the slot


async def test_waiters_time_out_in_order_and_leave_no_promise_behind() -> None:
    runner = TaskRunner(limit=1)
    release = asyncio.Event()
    runner.spawn(release.wait())
    results = await asyncio.gather(runner.wait_for_room(0.02), runner.wait_for_room(0.02))
    assert list(results) == [False, False]
    release.set()
    await runner.wait_idle()
    assert not runner.full
    assert await runner.wait_for_room(0.01) is True


async def test_no_room_once_closing() -> None:
    runner = TaskRunner(limit=5)
    await runner.shutdown()
    assert await runner.wait_for_room(1.0) is False
