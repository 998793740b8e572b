"""Capacity inside RingCentral's rate limits, printed as Markdown tables.

On the generated company of `bench.company` (the emulator with RingCentral's limits
enforced, two instances on one PostgreSQL database, in one process: these two measure calls
and admission, not latency under load; the 9:00 burst runs every part as its own process in
`bench.burst`):

- The on-call engine's share of the administrator's Medium budget with 50 rotations.
- Admission under a slow provider (every RingCentral call takes 2 s).
"""

from __future__ import annotations

import asyncio
import logging
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.company import FIRST_ID, PEOPLE, ROTATIONS, person, world
from bot.devkit.ringcentral.platform import group_of
from bot.devkit.shell import payloads
from bot.slack.app import YOURS_BUSY
from bot.store import rotations as rotation_store
from bot.tasks import BUSY
from bot.web import signing

RETRY = re.compile(r"try again in (\d+) seconds")


async def engine_share(drift_seconds: float, minutes: int) -> float:
    """Share of the admin's Medium budget (40 a minute) the engine uses, over `minutes`."""
    done = await world(
        limiter=False, connected=0, rate_limits=False, switchboard_drift_check_seconds=drift_seconds
    )
    try:
        runtime = done.instances[0][0]
        now = datetime.now(UTC)
        async with runtime.database.session() as session:
            for r in range(ROTATIONS):
                members = [person((r * 3 + k) % PEOPLE) for k in range(3)]
                fields = {
                    "name": f"team{r}",
                    "hotline": f"ringcentral:{FIRST_ID + PEOPLE + r}",
                    "hotline_label": str(8000 + r),
                    "shift_type": "daily",
                    "shift_length": 1,
                    "handoff": "09:00",
                    "timezone": "UTC",
                    "start_date": now.date().isoformat(),
                    "channel": "C0BENCH",
                }
                await rotation_store.save(session, fields=fields, members=members, by="bench", now=now)
        faults = done.emulator.faults
        ticks = int(minutes * 60 / runtime.settings.switchboard_tick_seconds)
        first = Counter(faults.requests)
        for t in range(ticks):
            moment = now + timedelta(seconds=t * runtime.settings.switchboard_tick_seconds)
            for instance, _ in done.instances:  # both instances tick, as deployed
                await instance.handoffs.tick(moment)
            if t == 0:
                first = Counter(faults.requests)  # after the first handoffs
        medium = sum(
            n for key, n in (faults.requests - first).items() if group_of(*key.split(" ", 1)) == "Medium"
        )
        return medium / minutes / 40
    finally:
        await done.close()


async def slow_admission() -> dict[str, Any]:
    """200 `/forward list` from 50 people (4 each, 2.5 s apart), every RingCentral call 2 s."""
    done = await world(limiter=True, connected=0, rate_limits=True)
    try:
        done.emulator.faults.latency = 2.0
        people = list(range(50))
        acks: list[float] = []
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=20)) as http:

            async def ask(i: int, delay: float) -> None:
                await asyncio.sleep(delay)
                _, url = done.instances[i % 2]
                body = payloads.slash_command(
                    user_id=person(i),
                    user_name=f"p{i}",
                    command="/forward",
                    text="list",
                    response_url=done.slack.response_url(),
                )
                sent = time.monotonic()
                reply = await http.post(
                    f"{url}/slack/events",
                    content=body,
                    headers=signing.signed_headers(done.secret, body),
                )
                acks.append((time.monotonic() - sent) * 1000)
                assert reply.status_code == 200, reply.status_code
                if reply.content:
                    refused.append(reply.json().get("text", ""))

            refused: list[str] = []
            await asyncio.gather(
                *(ask(i, round_ * 2.5 + i * 0.01) for round_ in range(4) for i in people)
            )
            for runtime, _ in done.instances:
                await runtime.tasks.wait_idle()
        answers = [str(c.args.get("text", "")) for c in done.slack.calls if c.method == "response_url"]
        acks.sort()
        return {
            "asked": len(acks),
            "lists": sum("(415) 557" in a or "+1415557" in a for a in answers),
            "try_again": sum(bool(RETRY.search(a)) for a in answers),
            "refused": len([r for r in refused if BUSY in r or YOURS_BUSY in r]),
            "waited_in_line": len([r for r in refused if "ahead of you" in r]),
            "ack_p50": statistics.median(acks),
            "ack_p99": acks[int(len(acks) * 0.99)],
        }
    finally:
        await done.close()


def _say(step: str) -> None:
    print(f"bench.capacity: {step}…", file=sys.stderr, flush=True)


def capacity_tables() -> tuple[list[str], bool]:
    """The three tables, and whether every goal held."""
    return asyncio.run(_capacity())


async def _capacity() -> tuple[list[str], bool]:
    met = True
    rows: list[str] = []
    _say("the engine, 50 rotations")
    new, old = await engine_share(300, minutes=60), await engine_share(15, minutes=5)
    met = met and new <= 0.25
    rows += [
        f"The on-call engine with {ROTATIONS} rotations on two instances, over a simulated hour: "
        f"**{new:.0%}** of the administrator's Medium budget (goal ≤ 25 %); reading every hotline "
        f"every tick, as before: {old:.0%}.",
        "",
        "Admission under a slow provider: 200 `/forward list` from 50 people (4 each, 2.5 s "
        "apart) over 20 connections, every RingCentral call taking 2 s. Goals: every command "
        "answered with its list or told when to retry, none refused, ack p99 ≤ 50 ms.\n",
        "| asked | answered with the list | told when to retry | refused | waited in line (said so in the ack) | ack p50 / p99 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    _say("admission under a slow provider")
    slow = await slow_admission()
    met = met and slow["refused"] == 0 and slow["ack_p99"] <= 50
    met = met and slow["lists"] + slow["try_again"] == slow["asked"]
    rows.append(
        f"| {slow['asked']} | {slow['lists']} | {slow['try_again']} | {slow['refused']} | {slow['waited_in_line']} | "
        f"{slow['ack_p50']:.1f} / {slow['ack_p99']:.1f} |"
    )
    return rows, met


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    table, goals = capacity_tables()
    print("\n".join(table))
    print(f"\nAll goals met: {'yes' if goals else 'no'}")
