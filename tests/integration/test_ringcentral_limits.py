"""The client against the emulator's real limits (`--rate-limits`): no request meets a 429."""

from __future__ import annotations

import asyncio
import time

from bot.devkit.ringcentral import build_emulator
from bot.providers.errors import RateLimited
from bot.providers.http import Kind
from tests.helpers.rc import ALICE, wired


async def test_a_burst_against_the_real_limits_gets_no_429(sqlite_url: str) -> None:
    """60 different reads at once: 50 go (Light), 10 are refused at once, none reaches a 429."""
    emulator = build_emulator(rate_limits=True)
    async with wired(sqlite_url, emulator=emulator, budget=True) as rc:
        waits: list[float] = []

        async def read(n: int) -> bool:
            try:
                await rc.client.requests.send(
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


async def test_a_short_retry_after_is_waited_out_and_the_request_answered(sqlite_url: str) -> None:
    """A 429 with `Retry-After: 2` holds the group 2 s, not a window: the read is then sent.

    RingCentral's 429 says `X-Rate-Limit-Remaining: 0`; that describes the penalty, so it
    must not be taken for a window full of sends (it was: "try again in 53 seconds").
    """
    emulator = build_emulator(rate_limits=True)
    emulator.faults.add(f"GET /extension/{ALICE}=429:2x1")
    async with wired(sqlite_url, emulator=emulator, budget=True) as rc:
        started = time.monotonic()
        answer = await rc.client.requests.send(
            "GET", f"/restapi/v1.0/account/~/extension/{ALICE}", group="Light", kind=Kind.READ
        )
        waited = time.monotonic() - started
        assert answer.status_code == 200
        assert 1.9 <= waited < 4.0  # the penalty, then the send
        assert emulator.faults.count("GET", f"/extension/{ALICE}") == 2
        again = await rc.client.requests.send(  # the group is usable again at once
            "GET", f"/restapi/v1.0/account/~/extension/{ALICE}", group="Light", kind=Kind.READ
        )
        assert again.status_code == 200
