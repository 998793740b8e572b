"""The client against the emulator's real limits (`--rate-limits`): no request meets a 429."""

from __future__ import annotations

import asyncio

from bot.devkit.ringcentral import build_emulator
from bot.providers.errors import RateLimited
from bot.providers.http import Kind
from tests.integration.rc import ALICE, wired


async def test_a_burst_against_the_real_limits_gets_no_429(sqlite_url: str) -> None:
    """60 different reads at once: 50 go (Light), 10 are refused at once, none reaches a 429."""
    emulator = build_emulator(rate_limits=True)
    async with wired(sqlite_url, emulator=emulator, budget=True) as rc:
        waits: list[float] = []

        async def read(n: int) -> bool:
            try:
                await rc.client.send(
                    "GET",
                    f"/restapi/v1.0/account/~/extension/{ALICE}",
                    group="Light",
                    kind=Kind.READ,
                    params={"n": n},
                )
            except RateLimited as exc:
                waits.append(exc.retry_after)
                return False
            return True

        answered = await asyncio.gather(*(read(n) for n in range(60)))
        assert sum(answered) == 50
        assert all(50 < wait <= 61 for wait in waits)  # told when: about a minute from now
        assert emulator.buckets.refused == 0
