"""The client-side budget spaces calls of a group before the platform has to say 429."""

from __future__ import annotations

from bot.providers.budget import RateBudget


async def test_calls_beyond_the_budget_wait_their_turn() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    budget = RateBudget(provider="rc", limits={"Heavy": 10}, database=None, sleep=sleep)
    for _ in range(10):
        await budget.space("Heavy")
    assert waits == []  # a full bucket: no wait
    await budget.space("Heavy")
    await budget.space("Heavy")
    assert len(waits) == 2
    assert 5.0 <= waits[0] <= 6.1  # 10 per minute: one every 6 s
    assert waits[1] > waits[0]


async def test_a_disabled_budget_or_unknown_group_never_waits() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    off = RateBudget(provider="rc", limits={"Auth": 1}, database=None, enabled=False, sleep=sleep)
    on = RateBudget(provider="rc", limits={"Auth": 1}, database=None, sleep=sleep)
    for _ in range(5):
        await off.space("Auth")
        await on.space("Other")
    assert waits == []


async def test_holds_are_seen_by_another_instance(sqlite_url: str) -> None:
    from bot.store import Database
    from bot.store.migrate import upgrade

    database = Database(sqlite_url)
    await upgrade(database)
    try:
        first = RateBudget(provider="rc", limits={}, database=database)
        second = RateBudget(provider="rc", limits={}, database=database)
        await first.hold("Medium", 30)
        assert 25 < await second.remaining_hold("Medium") <= 30
        assert await second.remaining_hold("Light") == 0
    finally:
        await database.dispose()
