"""Identical reads in flight together cost one provider call; a change starts reads afresh."""

from __future__ import annotations

import asyncio

from tests.integration.rc import ALICE, BOB, wired


async def test_concurrent_identical_reads_share_one_request(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        await rc.client.forwarding.list(ALICE)  # token obtained
        rc.emulator.faults.latency = 0.3
        before = rc.emulator.faults.count("GET", "/forwarding-number")
        lists = await asyncio.gather(*(rc.client.forwarding.list(ALICE) for _ in range(10)))
        assert rc.emulator.faults.count("GET", "/forwarding-number") == before + 1
        assert all(numbers == lists[0] for numbers in lists)


async def test_different_reads_are_not_shared(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        await rc.client.forwarding.list(ALICE)
        rc.emulator.faults.latency = 0.2
        before = rc.emulator.faults.count("GET", "/forwarding-number")
        alice, bob = await asyncio.gather(
            rc.client.forwarding.list(ALICE), rc.client.forwarding.list(BOB)
        )
        assert rc.emulator.faults.count("GET", "/forwarding-number") == before + 2
        assert alice != bob


async def test_a_read_after_a_change_never_joins_an_older_one(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        await rc.client.forwarding.list(ALICE)
        before = rc.emulator.faults.count("GET", "/forwarding-number")
        rc.emulator.faults.latency = 0.5
        older = asyncio.create_task(rc.client.forwarding.list(ALICE))
        await asyncio.sleep(0.05)  # the older read is in flight (half a second)
        rc.emulator.faults.latency = 0.0
        made = await rc.client.forwarding.create(
            ALICE, phone_number="+16505550199", type="Other", label="Desk"
        )
        newer = await rc.client.forwarding.list(ALICE)
        assert not older.done()
        assert made.id in {n.id for n in newer}
        assert rc.emulator.faults.count("GET", "/forwarding-number") == before + 2
        await older


async def test_a_cancelled_waiter_does_not_cancel_the_shared_read(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        await rc.client.forwarding.list(ALICE)
        rc.emulator.faults.latency = 0.3
        impatient = asyncio.create_task(rc.client.forwarding.list(ALICE))
        patient = asyncio.create_task(rc.client.forwarding.list(ALICE))
        await asyncio.sleep(0.05)
        impatient.cancel()
        assert len(await patient) == 3
