"""The rate limiter on both stores: one sliding window per (token, group) across instances."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest

from bot.providers.errors import RateLimited
from bot.providers.limiter import Priority, RateLimiter, priority
from bot.providers.ringcentral.client import GROUP_LIMITS
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.slack.errors import describe
from bot.store import Database
from bot.store.migrate import upgrade
from bot.tasks import Nobody, TaskRunner


@dataclass
class Clock:
    now: float = 1_800_000_000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class Instances:
    clock: Clock
    first: RateLimiter
    second: RateLimiter


@pytest.fixture
async def instances(database_url: str) -> AsyncIterator[Instances]:
    """Two bot instances: each its own engine on one database, sharing a (fake) wall clock."""
    clock = Clock()
    databases = [Database(database_url), Database(database_url)]
    await upgrade(databases[0])
    limiters = [
        RateLimiter(
            provider=RINGCENTRAL,
            limits=GROUP_LIMITS,
            database=db,
            clock=clock,
            sleep=clock.sleep,
        )
        for db in databases
    ]
    try:
        yield Instances(clock, *limiters)
    finally:
        for db in databases:
            await db.dispose()


async def outcomes(limiter: RateLimiter, n: int, token: str = "admin") -> list[bool]:
    async def one() -> bool:
        try:
            await limiter.acquire(token, "Medium")
        except RateLimited:
            return False
        return True

    return list(await asyncio.gather(*(one() for _ in range(n))))


async def test_two_instances_never_send_more_than_the_limit_together(
    instances: Instances,
) -> None:
    granted = await asyncio.gather(outcomes(instances.first, 35), outcomes(instances.second, 35))
    assert sum(granted[0]) + sum(granted[1]) == 40  # Medium: 40 in any 60 s, both instances
    assert instances.clock.slept == []  # the next place is a minute away: nobody waits for it


async def test_the_window_slides_a_full_bucket_never_lets_twice_the_limit_through(
    instances: Instances,
) -> None:
    assert all(await outcomes(instances.first, 40))
    instances.clock.now += 30
    with pytest.raises(RateLimited) as caught:
        await instances.second.acquire("admin", "Medium")
    assert caught.value.retry_after == 31  # the first place frees up (60 s and a 1 s margin)
    instances.clock.now += 31.01
    assert sum(await outcomes(instances.second, 45)) == 40


async def test_a_short_wait_is_waited_a_long_one_is_refused_at_once(instances: Instances) -> None:
    assert all(await outcomes(instances.first, 40))
    instances.clock.now += 57  # the first place frees up in 4 s: within a person's 5 s
    assert await instances.second.acquire("admin", "Medium") is not None
    assert 3.9 < sum(instances.clock.slept) < 4.1


async def test_a_penalty_seen_by_one_instance_holds_the_other(instances: Instances) -> None:
    await instances.first.penalize("admin", "Light", 60)
    with pytest.raises(RateLimited) as caught:
        await instances.second.acquire("admin", "Light")
    assert caught.value.status == 429
    assert caught.value.retry_after == 60
    assert await instances.second.acquire("admin", "Medium") is not None  # other groups go on
    assert await instances.second.acquire("alice", "Light") is not None  # other tokens go on
    await instances.first.penalize("admin", "Heavy", 3)
    assert await instances.second.acquire("admin", "Heavy") is not None  # after waiting 3 s
    assert instances.clock.slept == [3]


async def test_background_work_leaves_a_quarter_of_the_window_to_people(
    instances: Instances,
) -> None:
    with priority(Priority.BACKGROUND):
        background = await outcomes(instances.first, 40)
    assert sum(background) == 30
    assert sum(await outcomes(instances.second, 20)) == 10


async def test_a_probe_never_waits(instances: Instances) -> None:
    await instances.first.penalize("admin", "Light", 2)
    with priority(Priority.PROBE), pytest.raises(RateLimited):
        await instances.second.acquire("admin", "Light")
    assert instances.clock.slept == []


async def test_the_platforms_count_wins_when_it_says_fewer_are_left(instances: Instances) -> None:
    ticket = await instances.first.acquire("admin", "Medium")
    headers = httpx.Headers(
        {"X-Rate-Limit-Limit": "40", "X-Rate-Limit-Remaining": "5", "X-Rate-Limit-Window": "60"}
    )
    await instances.first.observe(ticket, headers)
    assert sum(await outcomes(instances.second, 10)) == 5
    lower = await instances.second.acquire("admin", "Heavy")
    await instances.second.observe(
        lower, httpx.Headers({"X-Rate-Limit-Limit": "4", "X-Rate-Limit-Remaining": "3"})
    )
    assert sum(await outcomes_of(instances.first, "Heavy", 10)) == 3  # the announced limit: 4


async def outcomes_of(limiter: RateLimiter, group: str, n: int) -> list[bool]:
    results = []
    for _ in range(n):
        try:
            await limiter.acquire("admin", group)
        except RateLimited:
            results.append(False)
        else:
            results.append(True)
    return results


async def test_one_person_gets_a_fifth_of_a_shared_window_and_others_the_rest(
    instances: Instances,
) -> None:
    async def person(limiter: RateLimiter, who: str, n: int) -> list[str]:
        async def one() -> str:
            try:
                await limiter.acquire("admin", "Medium", person=who)
            except RateLimited as exc:
                return "own share used" if exc.own_share else "window full"
            return "sent"

        return [await one() for _ in range(n)]

    bob = await person(instances.first, "bob", 12) + await person(instances.second, "bob", 12)
    assert bob == ["sent"] * 8 + ["own share used"] * 16  # Medium 40: a fifth, both instances
    for who in ("carol", "alice", "admin"):
        assert await person(instances.second, who, 8) == ["sent"] * 8
    assert await person(instances.first, "dave", 9) == ["sent"] * 8 + ["own share used"]
    assert await person(instances.first, "erin", 2) == ["window full"] * 2  # 40 sent in all
    instances.clock.now += 61
    assert await person(instances.second, "erin", 8) == ["sent"] * 8  # her refused tries took nothing


async def test_a_share_of_one_turns_the_per_person_cap_off(database_url: str) -> None:
    database = Database(database_url)
    await upgrade(database)
    clock = Clock()
    limiter = RateLimiter(
        provider=RINGCENTRAL,
        limits=GROUP_LIMITS,
        database=database,
        clock=clock,
        sleep=clock.sleep,
        person_share=1,
    )
    try:
        granted = 0
        for _ in range(40):
            await limiter.acquire("admin", "Medium", person="bob")
            granted += 1
        assert granted == 40
    finally:
        await database.dispose()


async def test_a_person_told_to_wait_for_their_share_waits_at_most_the_window(
    instances: Instances,
) -> None:
    """Their share is counted by us alone: no platform count to stay behind, so no margin
    (the 1 s kept on the token's own window once told people "try again in 61 seconds")."""
    for _ in range(8):
        await instances.first.acquire("admin", "Medium", person="bob")
    with pytest.raises(RateLimited) as caught:
        await instances.second.acquire("admin", "Medium", person="bob")
    assert caught.value.own_share
    assert caught.value.retry_after == 60
    instances.clock.now += 60  # a window after his first: his share is his again
    assert await instances.first.acquire("admin", "Medium", person="bob") is not None


async def test_work_waiting_for_budget_leaves_its_slot_to_the_next_in_line(
    instances: Instances,
) -> None:
    """One slot: a person's request waiting (within the 5 s bound) for the administrator's
    window must not hold back the work in line behind it (a connected person with budget of
    their own, in the 9:00 burst); back from its wait, it is sent."""
    limiter, clock = instances.first, instances.clock
    assert all(await outcomes(limiter, 40))  # Medium full...
    clock.now += 59.0  # ...and its oldest place frees in about a second
    gate = asyncio.Event()

    async def held_sleep(seconds: float) -> None:
        await gate.wait()
        clock.now += seconds

    limiter._sleep = held_sleep
    runner = TaskRunner(limit=1, describe=describe)
    done: list[str] = []

    async def waits_for_budget() -> None:
        await limiter.acquire("admin", "Medium")
        done.append("after its wait")

    async def has_budget() -> None:
        done.append("next in line")

    nobody = Nobody("a test's work: nobody waits for it")
    assert runner.spawn(waits_for_budget(), tell=nobody)
    assert runner.spawn(has_budget(), tell=nobody)
    for _ in range(50):
        if done:
            break
        await asyncio.sleep(0.01)
    assert done == ["next in line"]
    gate.set()
    await runner.wait_idle()
    assert done == ["next in line", "after its wait"]
