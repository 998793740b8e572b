"""Capacity inside RingCentral's rate limits (issue 18), printed as Markdown tables.

On the generated company of `bench.company` (the emulator with RingCentral's limits
enforced, two instances on one PostgreSQL database):

- The 9:00 burst: every person opens the App Home and types `/forward list` within
  BURST_SECONDS, half of them connected with their own sign-in. Once as built, once as
  the old design amounted to (one administrator token for everyone, no shared limiter).
- The on-call engine's share of the administrator's Medium budget with 50 rotations.
- Admission under a slow provider (every RingCentral call takes 2 s).
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.company import FIRST_ID, PEOPLE, ROTATIONS, World, person, world
from bot.devkit.ringcentral.platform import group_of
from bot.devkit.shell import payloads
from bot.slack.app import YOURS_BUSY
from bot.store import rotations as rotation_store
from bot.tasks import BUSY
from bot.web import signing

BURST_SECONDS = 60.0


async def burst(done: World) -> dict[str, Any]:
    """Every person: App Home and `/forward list`, at random moments within BURST_SECONDS."""
    asked: dict[str, tuple[str, float, int]] = {}  # response id or home user → (kind, sent, i)
    acks: list[float] = []
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200)) as http:

        async def one(i: int, at: float, started: float) -> None:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            _, url = done.instances[i % 2]
            rid = done.slack.response_url()
            body = payloads.slash_command(
                user_id=person(i), user_name=f"p{i}", command="/forward", text="list", response_url=rid
            )
            sent = time.monotonic()
            asked[rid.rsplit("/", 1)[-1]] = ("list", sent, i)
            reply = await http.post(
                f"{url}/slack/events", content=body, headers=signing.signed_headers(done.secret, body)
            )
            acks.append((time.monotonic() - sent) * 1000)
            assert reply.status_code == 200
            home = payloads.app_home_opened(person(i))
            asked[person(i)] = ("home", time.monotonic(), i)
            await http.post(
                f"{url}/slack/events",
                content=home,
                headers={
                    **signing.signed_headers(done.secret, home),
                    "Content-Type": "application/json",
                },
            )

        started = time.monotonic()
        moments = sorted(random.uniform(0, BURST_SECONDS) for _ in range(PEOPLE))
        await asyncio.gather(*(one(i, at, started) for i, at in enumerate(moments)))
        for runtime, _ in done.instances:
            await runtime.tasks.wait_idle()
    return _score(done, asked, acks)


RETRY = re.compile(r"try again in (\d+) seconds")


def _score(done: World, asked: dict[str, tuple[str, float, int]], acks: list[float]) -> dict[str, Any]:
    waits: list[float] = []
    served, told, retry_after = Counter[str](), Counter[str](), []
    connected = done.connected
    for call in done.slack.calls:
        if call.method == "response_url":
            key = str((call.result or {}).get("response_id", ""))
        elif call.method == "views.publish":
            key = str(call.args.get("user_id"))
        else:
            continue
        kind, sent, i = asked.get(key, ("", 0.0, -1))
        if not kind:
            continue
        text = str(call.args.get("text", "")) + str(call.args.get("view", ""))
        group = "connected" if i < connected else "not connected"
        waits.append(call.at - sent)
        if "+1415557" in text or "(415) 557" in text:
            served[f"{kind} {group}"] += 1
        found = RETRY.search(text)
        if found:
            told[f"{kind} {group}"] += 1
            retry_after.append(int(found.group(1)))
    waits.sort()
    return {
        "429s": done.emulator.buckets.refused,
        "served": served,
        "told": told,
        "retry_after": (min(retry_after), max(retry_after)) if retry_after else None,
        "p50": waits[len(waits) // 2] if waits else 0,
        "p95": waits[int(len(waits) * 0.95)] if waits else 0,
        "max": waits[-1] if waits else 0,
        "ack_p99": sorted(acks)[int(len(acks) * 0.99)] if acks else 0,
        "connected": connected,
    }


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
    rows = [
        f"A 9:00 burst: {PEOPLE:,} people each open the App Home and type `/forward list` within "
        f"{BURST_SECONDS:.0f} s, spread over two instances sharing PostgreSQL, against the emulator "
        "with RingCentral's limits enforced. Goals: no 429, every connected person answered "
        "with their data, everyone else answered or told when to retry.\n",
        "| design | 429s received | answered with their data: connected / not | told when to retry (in s) "
        "| answer p50 / p95 / max s | command ack p99 ms |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    met = True
    for label, limiter, connected in (
        ("as built: shared limiter, half connected", True, 0.5),
        ("old design: one admin token, no shared limiter", False, 0.0),
    ):
        _say(f"the burst: {label}")
        done = await world(limiter=limiter, connected=connected)
        try:
            got = await burst(done)
        finally:
            await done.close()
        served, told = got["served"], got["told"]
        mine = served["list connected"] + served["home connected"]
        others = served["list not connected"] + served["home not connected"]
        wanted = 2 * done.connected
        if limiter:
            met = met and got["429s"] == 0 and mine == wanted
        window = f"{got['retry_after'][0]} to {got['retry_after'][1]}" if got["retry_after"] else "-"
        rows.append(
            f"| {label} | {got['429s']} | {mine} of {wanted} / {others} of {2 * PEOPLE - wanted} | "
            f"{sum(told.values())} ({window}) | {got['p50']:.2f} / {got['p95']:.2f} / {got['max']:.2f} | "
            f"{got['ack_p99']:.1f} |"
        )
    _say("the engine, 50 rotations")
    new, old = await engine_share(300, minutes=60), await engine_share(15, minutes=5)
    met = met and new <= 0.25
    rows += [
        "",
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
