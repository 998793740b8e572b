"""Slow provider: acks stay fast, and each user's answer comes as soon as the provider's."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx

from bench.run import COMPANY, SEEDED, Cluster, list_body, lua_script, wrk
from bot.web import signing

CONNECTIONS = 10  # wrk's
ANSWER_WAIT = 60.0  # seconds: the slowest provider here answers in 10


async def _one_user(cluster: Cluster, client: httpx.AsyncClient, rounds: int, i: int = 0) -> list[float]:
    """Ask, wait for the answer, ask again: seconds from each ask to its answer."""
    waits = []
    for _ in range(rounds):
        rid = secrets.token_hex(6)
        # a person of the seeded company each (one person's commands at once meet the
        # 3-in-progress cap, refused in the ack with no answer to wait for)
        body = list_body(0, f"{cluster.slack}/response/{rid}", COMPANY[i])
        sent = time.time()
        ack = await client.post(
            f"http://127.0.0.1:{cluster.bot_port}/slack/events",
            content=body,
            headers=signing.signed_headers(cluster.secret, body),
        )
        assert ack.status_code == 200, ack.status_code
        deadline = time.monotonic() + ANSWER_WAIT
        while True:
            if time.monotonic() > deadline:  # a bench that waits forever measures nothing
                raise TimeoutError(f"no answer at response_url {rid} within {ANSWER_WAIT:.0f} s")
            at = (await client.get(f"{cluster.slack}/answered/{rid}")).json()["at"]
            if at is not None:
                waits.append(at - sent)
                break
            await asyncio.sleep(0.02)
    return waits


async def warm(cluster: Cluster) -> None:
    """The first ask logs in and links each user by email (slow calls): not measured."""
    async with httpx.AsyncClient(timeout=60) as client:
        await asyncio.gather(*(_one_user(cluster, client, 1, i) for i in range(len(SEEDED))))


async def answer_waits(cluster: Cluster, rounds: int) -> list[float]:
    async with httpx.AsyncClient(timeout=30) as client:
        per_user = await asyncio.gather(
            *(_one_user(cluster, client, rounds, i) for i in range(len(SEEDED)))
        )
    return sorted(wait for waits in per_user for wait in waits)


def slow_provider(seconds: float) -> tuple[str, bool]:
    """One table row and whether every goal held."""
    cluster = Cluster(latency=f"{seconds:g}s")
    try:
        cluster.start()
        asyncio.run(warm(cluster))
        waits = asyncio.run(answer_waits(cluster, rounds=2 if seconds < 5 else 1))
        script = lua_script(cluster.secret, f"{cluster.slack}/response/1")
        acks = wrk(f"http://127.0.0.1:{cluster.bot_port}/slack/events", script, CONNECTIONS)
    finally:
        cluster.stop()
    slowest_answer = waits[-1]
    met = acks["p99"] < 300 and acks["max"] < 3000 and slowest_answer <= seconds + 0.2
    row = (
        f"| {seconds:g} s | {acks['p50']:.1f} / {acks['p99']:.1f} / {acks['max']:.0f} | "
        f"{acks['busy']:.0f} | {waits[len(waits) // 2]:.2f} / {slowest_answer:.2f} s "
        f"(goal ≤ {seconds + 0.2:.1f} s) | {'yes' if met else 'NO'} |"
    )
    return row, met


def slow_table() -> tuple[list[str], bool]:
    rows = [slow_provider(seconds) for seconds in (2.0, 10.0)]
    return [
        f"wrk's {CONNECTIONS} connections ask without pause, all as one person: her numbers read "
        "within the last 10 s are reused, so after the first read her asks seldom wait on the "
        "provider; a fourth command of hers in progress at once is refused in the ack (busy acks). "
        "The answers column is measured apart: "
        f"{len(SEEDED)} users (the seeded company's people) each wait for their answer (the list, "
        "not the progress line sent after 1.5 s) before asking again.\n",
        f"| provider latency | ack p50 / p99 / max ms (wrk, {CONNECTIONS} connections) | busy acks "
        f"| answer p50 / slowest ({len(SEEDED)} users, ask → answer) | met |",
        "| --- | --- | --- | --- | --- |",
        *(row for row, _ in rows),
    ], all(met for _, met in rows)


if __name__ == "__main__":
    table, goals = slow_table()
    print("\n".join(table))
    print(f"\nAll goals met: {'yes' if goals else 'no'}")
