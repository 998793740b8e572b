"""`make bench`: prints Markdown tables and writes bench/results.md.

Goals: ack throughput >= 0.8x the anchor's, ack p99 within 2x the anchor's,
answers per second >= 0.5x the anchor's acks; with a slow provider ack p99 < 300 ms, no
ack near Slack's 3 s and each answer within provider latency + 200 ms; the fewest provider
calls per action; flat memory.
"""

from __future__ import annotations

import logging
import os
import platform
import statistics
import time
from pathlib import Path

import httpx

from bench.burst import burst_table
from bench.calls import calls_table
from bench.capacity import capacity_tables
from bench.live import live_table
from bench.run import COMPANY, DURATION, SERVER_CPU, Cluster, lua_script, rss_kb, wrk
from bench.slow import slow_table
from bench.slow_anchor import slow_anchor_table
from bench.startup import startup_table
from bot.web import signing

RESULTS = Path(__file__).resolve().parent / "results.md"
README = RESULTS.parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
CONNECTIONS = (1, 10, 50)
ROUNDS = 3


def drain(cluster: Cluster, before: int, quiet: float = 2.0, timeout: float = 60.0) -> tuple[int, float]:
    """Wait until answers stop arriving for `quiet` seconds; returns (answers, seconds to the last)."""
    started = time.perf_counter()
    count, last_change = cluster.answered() - before, started
    while time.perf_counter() - last_change < quiet and time.perf_counter() - started < timeout:
        time.sleep(0.1)
        now_count = cluster.answered() - before
        if now_count != count:
            count, last_change = now_count, time.perf_counter()
    return count, last_change - started


def warm_up(cluster: Cluster, urls: list[str]) -> None:
    """A discarded run on each server first: imports, caches, the token, the first link."""
    script = lua_script(cluster.secret, f"{cluster.slack}/response/1", users=COMPANY)
    for url in urls:
        wrk(url, script, 10, seconds=2)
    drain(cluster, cluster.answered())


def ack_runs(cluster: Cluster, anchor: str, connections: int) -> dict[str, float]:
    """One anchor run and one Switchboard run, back to back; the figures of both (the asks
    spread over the seeded company's people, as a workspace's are)."""
    script = lua_script(cluster.secret, f"{cluster.slack}/response/1", users=COMPANY)
    base = wrk(anchor + "/slack/events", script, connections)
    drain(cluster, cluster.answered())
    before = cluster.answered()
    started = time.perf_counter()
    ours = wrk(f"http://127.0.0.1:{cluster.bot_port}/slack/events", script, connections)
    ran = time.perf_counter() - started
    answers, tail = drain(cluster, before)
    return {
        **{f"anchor_{key}": value for key, value in base.items()},
        **ours,
        "answers_per_s": answers / (ran + tail),
    }


def ack_row(cluster: Cluster, anchor: str, connections: int) -> tuple[str, bool]:
    """The median of ROUNDS runs of each (this machine's other processes make single runs noisy)."""
    runs = [ack_runs(cluster, anchor, connections) for _ in range(ROUNDS)]
    m = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    speed = m["accepted_rps"] / m["anchor_rps"]
    spread = m["p99"] / m["anchor_p99"]
    answered = m["answers_per_s"] / m["anchor_rps"]
    met = speed >= 0.8 and spread <= 2.0 and answered >= 0.5 and not m["errors"]
    row = (
        f"| {connections} | {m['anchor_p50']:.2f} / {m['anchor_p99']:.2f} | {m['p50']:.2f} / "
        f"{m['p99']:.2f} ({spread:.1f}x) | {m['anchor_rps']:.0f} | {m['accepted_rps']:.0f} ({speed:.2f}x) "
        f"| {m['busy']:.0f} | {m['answers_per_s']:.0f} ({answered:.2f}x) | {int(m['errors'])} "
        f"| {'yes' if met else 'NO'} |"
    )
    return row, met


def memory(cluster: Cluster) -> tuple[int, int]:
    script = lua_script(cluster.secret, f"{cluster.slack}/response/1")
    url = f"http://127.0.0.1:{cluster.bot_port}/slack/events"
    with httpx.Client() as client:
        for _ in range(100):
            b = script.read_text().split('"', 2)[1].encode()
            client.post(url, content=b, headers=signing.signed_headers(cluster.secret, b))
    drain(cluster, cluster.answered())
    after_100 = rss_kb(cluster.bot.pid)
    total = 100
    while total < 10_000:
        total += int(wrk(url, script, 10)["accepted_rps"] * float(DURATION))
    drain(cluster, cluster.answered())
    return after_100, rss_kb(cluster.bot.pid)


def main() -> None:
    cluster = Cluster()
    try:
        cluster.start()
        rss_100, rss_10k = memory(cluster)  # first, while the process is fresh
        anchor = cluster.anchor()
        warm_up(cluster, [anchor + "/slack/events", f"http://127.0.0.1:{cluster.bot_port}/slack/events"])
        acks = [ack_row(cluster, anchor, connections) for connections in CONNECTIONS]
    finally:
        cluster.stop()
    startup, startup_met = startup_table()
    slow, slow_met = slow_table()
    beside, beside_met = slow_anchor_table()
    calls = calls_table()
    logging.disable(logging.WARNING)  # the burst's "try again" sentences are expected, not news
    capacity, capacity_met = capacity_tables()
    burst, burst_met = burst_table()
    live, live_met = live_table()
    logging.disable(logging.NOTSET)
    grew = (rss_10k - rss_100) / 1024
    facts = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, wrk over loopback"
    if SERVER_CPU is not None:
        facts += (
            "; the server under test on one core, wrk, the Slack stand-in and the emulator on the other"
        )
    goals = all(met for _, met in acks) and slow_met and "| NO |" not in "\n".join(calls) and grew < 5
    goals = goals and capacity_met and live_met and startup_met and beside_met and burst_met
    table = "\n".join(
        [
            "# Switchboard benchmarks\n",
            f"Machine: {facts}; {DURATION} s per run after a warm-up, median of {ROUNDS} runs. All goals met: "
            f"**{'yes' if goals else 'no'}**.\n",
            "## Ack latency and throughput: signed `/forward list`, Switchboard vs bare Bolt (anchor)\n",
            f"wrk's asks come from the seeded company's {len(COMPANY)} people in turn. Switchboard "
            'acks/s counts only accepted commands (an ack saying "try again" is a refusal, counted '
            "in busy acks; one saying how many are ahead in line is accepted); answers/s are the list "
            "answers that reached Slack's response_url. Goals: acks ≥ 0.8x, p99 ≤ 2x, answers ≥ 0.5x "
            "the anchor's acks.\n",
            "| connections | anchor p50 / p99 ms | Switchboard p50 / p99 ms | anchor acks/s "
            "| Switchboard acks/s | busy acks | answers/s | non-2xx | met |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *(row for row, _ in acks),
            "\n## Slow provider (RingCentral emulator answering late)\n",
            *slow,
            "\n## Acks beside bare Bolt while a slow provider's answers are produced\n",
            *beside,
            "\n## Provider calls per action (RingCentral emulator's request log)\n",
            *calls,
            "\n## Capacity inside RingCentral's rate limits: the 9:00 burst, every part its own process\n",
            *burst,
            "\n### The on-call engine and admission under a slow provider\n",
            *capacity,
            "\n## Live calls: notification to card\n",
            *live,
            "\n## Start-up\n",
            *startup,
            "\n## Memory\n",
            "| measure | value |",
            "| --- | --- |",
            f"| RSS after 100 requests | {rss_100 / 1024:.1f} MiB |",
            f"| RSS after ≥10,000 requests | {rss_10k / 1024:.1f} MiB ({grew:+.1f} MiB) |",
        ]
    )
    print(table)
    RESULTS.write_text(table + "\n")
    show_in_readme(table)


def show_in_readme(table: str) -> None:
    """README "Performance" shows the latest run (between its bench markers)."""
    text = README.read_text()
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        return
    body = table.split("\n", 1)[1].strip().replace("\n## ", "\n### ")
    README.write_text(text[: start + len(START)] + "\n" + body + "\n" + text[end:])


if __name__ == "__main__":
    main()
