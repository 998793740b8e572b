"""The task runner: admission never waits; work beyond the bound waits in line, in order.

Each `request` here does what one Slack command does: admission, then (maybe) a spawn
into the place it was admitted with, then the place offered back if unused.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from typing import Any

from bot.slack.errors import describe
from bot.tasks import SHUTTING_DOWN, Nobody, TaskRunner

NOBODY = Nobody("a test's work: nobody waits for it")


def request(runner: TaskRunner, work: Coroutine[Any, Any, Any] | None = None) -> bool:
    admitted = runner.admit()
    if admitted and work is not None:
        assert runner.spawn(work, tell=NOBODY), "an admitted request must get its place"
    elif work is not None:
        work.close()
    runner.offer_room()
    return admitted


async def test_beyond_the_bound_work_waits_in_line_and_runs_in_order() -> None:
    runner = TaskRunner(limit=2, queue_limit=10, describe=describe)
    release = asyncio.Event()
    order: list[int] = []

    async def job(n: int) -> None:
        await release.wait()
        order.append(n)

    started = time.perf_counter()
    assert all(request(runner, job(n)) for n in range(6))
    assert time.perf_counter() - started < 0.05  # nobody waited to be admitted
    assert (runner.running, runner.waiting) == (2, 4)
    release.set()
    await runner.wait_idle()
    assert order == list(range(6))


async def test_a_full_line_refuses_at_once() -> None:
    runner = TaskRunner(limit=1, queue_limit=2, describe=describe)
    release = asyncio.Event()
    results = [request(runner, release.wait()) for _ in range(5)]
    assert results == [True, True, True, False, False]
    release.set()
    await runner.wait_idle()
    assert request(runner, asyncio.sleep(0)) is True  # room again


async def test_an_unused_place_is_given_back() -> None:
    runner = TaskRunner(limit=1, queue_limit=0, describe=describe)
    assert request(runner) is True  # a command that needed no background work
    assert not runner.full
    assert request(runner, asyncio.sleep(0)) is True
    await runner.wait_idle()


async def test_shutdown_tells_those_still_in_line() -> None:
    runner = TaskRunner(limit=1, queue_limit=5, describe=describe)
    told: list[str] = []

    async def reply(text: str) -> None:
        told.append(text)

    release = asyncio.Event()
    runner.admit()
    runner.spawn(release.wait(), tell=reply)
    runner.admit()
    runner.spawn(asyncio.sleep(0), tell=reply)
    await runner.shutdown(grace=0.05)
    await asyncio.sleep(0.01)
    assert told == [SHUTTING_DOWN, SHUTTING_DOWN]
    assert runner.admit() is False
