"""Identical reads in flight together cost one provider call; a window reuses a read of the
last few seconds; a change starts reads afresh."""

from __future__ import annotations

import asyncio

from bot.providers.coalesce import RECENT_READ_SECONDS, recent_reads
from bot.providers.limiter import Priority, priority
from tests.helpers.rc import ALICE, BOB, wired


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


# -- reads a person just made (bot.providers.coalesce.Recent) ---------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_window_reuses_a_read_of_the_last_seconds_until_its_own_change(
    sqlite_url: str,
) -> None:
    async with wired(sqlite_url) as rc:
        faults = rc.emulator.faults
        await rc.client.forwarding.list(ALICE)  # token obtained
        before = faults.count("GET", "/forwarding-number")
        with recent_reads():
            first = await rc.client.forwarding.list(ALICE)
            again = await rc.client.forwarding.list(ALICE)
            rules = await rc.client.handling.list_rules(ALICE, type="Custom")
            made = await rc.client.forwarding.create(
                ALICE, phone_number="+16505550199", type="Other", label="Desk"
            )
            after = await rc.client.forwarding.list(ALICE)  # our change: read afresh
            assert await rc.client.handling.list_rules(ALICE, type="Custom") == rules
        assert again == first
        assert made.id in {n.id for n in after}
        assert faults.count("GET", "/forwarding-number") == before + 2
        # the answering rules are another resource: a forwarding number's change keeps them
        assert faults.count("GET", "/answering-rule") == 1


async def test_reads_outside_a_window_and_the_engines_always_go_to_the_provider(
    sqlite_url: str,
) -> None:
    async with wired(sqlite_url) as rc:
        faults = rc.emulator.faults
        with recent_reads():
            await rc.client.forwarding.list(ALICE)
        before = faults.count("GET", "/forwarding-number")
        await rc.client.forwarding.list(ALICE)  # a change's own read, a typed `list`
        with recent_reads(), priority(Priority.BACKGROUND):  # the engine, a revert
            await rc.client.forwarding.list(ALICE)
        with recent_reads(False):
            await rc.client.forwarding.list(ALICE)
        assert faults.count("GET", "/forwarding-number") == before + 3


async def test_a_change_made_in_ringcentrals_app_shows_within_the_stated_seconds(
    sqlite_url: str,
) -> None:
    clock = Clock()
    async with wired(sqlite_url, clock=clock) as rc:
        with recent_reads():
            shown = await rc.client.forwarding.list(ALICE)
            rc.emulator.emulator_state.extensions[int(ALICE)].forwarding.pop()  # their app
            clock.now += RECENT_READ_SECONDS
            assert await rc.client.forwarding.list(ALICE) == shown  # still within the seconds
            clock.now += 0.5
            assert len(await rc.client.forwarding.list(ALICE)) == len(shown) - 1


async def test_a_read_overlapping_a_change_is_not_kept(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        faults = rc.emulator.faults
        await rc.client.forwarding.list(ALICE)
        before = faults.count("GET", "/forwarding-number")
        with recent_reads():
            faults.latency = 0.3
            older = asyncio.create_task(rc.client.forwarding.list(ALICE))
            await asyncio.sleep(0.05)
            faults.latency = 0.0
            await rc.client.forwarding.create(
                ALICE, phone_number="+16505550199", type="Other", label="Desk"
            )
            await older  # it may predate the change: not kept for the next ask
            newer = await rc.client.forwarding.list(ALICE)
        assert "+16505550199" in {n.phone_number for n in newer}
        assert faults.count("GET", "/forwarding-number") == before + 2


async def test_a_comm_handling_change_forgets_the_states_and_their_rules(sqlite_url: str) -> None:
    """v2: the forward-all state and its state rule are one resource (a toggle writes both;
    the rule carries its state)."""
    async with wired(sqlite_url) as rc:
        faults = rc.emulator.faults
        handling = rc.client.handling
        rc.emulator.emulator_state.extensions[int(ALICE)].call_handling = "new"  # upgraded
        with recent_reads():
            state = await handling.get_state(ALICE, "forward-all-calls")
            rule = await handling.get_state_rule(ALICE, "forward-all-calls")
            assert await handling.get_state(ALICE, "forward-all-calls") == state
            await handling.patch_state(ALICE, "forward-all-calls", {"enabled": not state["enabled"]})
            assert (await handling.get_state(ALICE, "forward-all-calls"))["enabled"] != state["enabled"]
            again = await handling.get_state_rule(ALICE, "forward-all-calls")  # it shows the state
            assert again["state"]["enabled"] != rule["state"]["enabled"]
        assert faults.count("GET", "/comm-handling/states/") == 2
        assert faults.count("GET", "/comm-handling/voice/state-rules/") == 2
