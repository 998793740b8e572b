"""Acks while a slow provider's answers are being produced, beside bare Bolt.

Every part its own process: the Slack stand-in, the RingCentral emulator with the
generated company (every call taking LATENCY), `switchboard serve`, the anchor (bare Bolt,
bench/anchor.py) and the load (`python -m bench.slow_anchor load …`). The load sends ROUNDS
rounds of BATCH signed `/forward list`, each round from BATCH other people (nobody has a
command in progress already), over CONNECTIONS connections, a round every GAP seconds: the
acks of later rounds are measured while Switchboard produces earlier rounds' answers (each
2 s after its provider call starts, 20 at a time). The same load goes to the anchor and
then to Switchboard. Goals: ack p99 ≤ 2x the anchor's, acks/s ≥ 0.9x.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import httpx

from bench.company import person
from bench.run import BIN, LOAD_CPU, Cluster, list_body, pinned
from bot.web import signing

LATENCY = "2s"
BATCH = 200
ROUNDS = 5
CONNECTIONS = 20
GAP = 1.0


async def _load(url: str, secret: str, slack: str) -> dict[str, float]:
    acks: list[float] = []
    rates: list[float] = []
    async with httpx.AsyncClient(
        timeout=30,
        limits=httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS),
    ) as http:
        await http.get(url.rsplit("/slack", 1)[0] + "/healthz")  # connections opened before timing

        async def round_(r: int) -> None:
            line: asyncio.Queue[int] = asyncio.Queue()
            for i in range(BATCH):
                line.put_nowait(r * BATCH + i)

            async def connection() -> None:
                while not line.empty():
                    i = line.get_nowait()
                    body = list_body(i, f"{slack}/response/s{i}", (person(i), f"p{i}"))
                    headers = signing.signed_headers(secret, body)
                    sent = time.perf_counter()
                    reply = await http.post(url, content=body, headers=headers)
                    acks.append((time.perf_counter() - sent) * 1000)
                    assert reply.status_code == 200, reply.status_code

            started = time.perf_counter()
            await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
            rates.append(BATCH / (time.perf_counter() - started))

        for r in range(ROUNDS):
            began = time.perf_counter()
            await round_(r)
            await asyncio.sleep(max(0.0, GAP - (time.perf_counter() - began)))
    acks.sort()
    return {
        "p50": acks[len(acks) // 2],
        "p99": acks[int(len(acks) * 0.99)],
        "max": acks[-1],
        "rps": sorted(rates)[len(rates) // 2],
    }


def load(url: str, secret: str, slack: str) -> dict[str, float]:
    """The load, in a process of its own (on the load core)."""
    out = subprocess.run(
        [str(BIN / "python"), "-m", "bench.slow_anchor", "load", url, secret, slack],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=pinned(LOAD_CPU),
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure() -> dict[str, float]:
    cluster = Cluster(latency=LATENCY, people=BATCH * ROUNDS)
    try:
        cluster.start()
        anchor = cluster.anchor() + "/slack/events"
        ours = f"http://127.0.0.1:{cluster.bot_port}/slack/events"
        base = load(anchor, cluster.secret, cluster.slack)
        mine = load(ours, cluster.secret, cluster.slack)
    finally:
        cluster.stop()
    return {**{f"anchor_{k}": v for k, v in base.items()}, **mine}


def slow_anchor_table() -> tuple[list[str], bool]:
    m = measure()
    spread = m["p99"] / m["anchor_p99"]
    speed = m["rps"] / m["anchor_rps"]
    met = spread <= 2.0 and speed >= 0.9
    return [
        f"{ROUNDS} rounds of {BATCH} signed `/forward list`, each round from {BATCH} other people, "
        f"over {CONNECTIONS} connections, a round every {GAP:g} s; every RingCentral call takes "
        f"{LATENCY}; the load, bare Bolt (anchor) and Switchboard each their own process. "
        "Goals: ack p99 ≤ 2x the anchor's, acks/s (median round) ≥ 0.9x.\n",
        "| anchor p50 / p99 / max ms | Switchboard p50 / p99 / max ms | anchor acks/s "
        "| Switchboard acks/s | met |",
        "| --- | --- | --- | --- | --- |",
        f"| {m['anchor_p50']:.1f} / {m['anchor_p99']:.1f} / {m['anchor_max']:.0f} | {m['p50']:.1f} / "
        f"{m['p99']:.1f} / {m['max']:.0f} ({spread:.1f}x) | {m['anchor_rps']:.0f} | {m['rps']:.0f} "
        f"({speed:.2f}x) | {'yes' if met else 'NO'} |",
    ], met


if __name__ == "__main__":
    if sys.argv[1:2] == ["load"]:
        print(json.dumps(asyncio.run(_load(*sys.argv[2:5]))))
    else:
        rows, _ = slow_anchor_table()
        print("\n".join(rows))
