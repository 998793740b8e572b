"""`make bench`: prints a Markdown table and writes bench/results.md."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import httpx

from bench.run import Cluster, lua_script, rss_kb, wrk
from bot import signing

RESULTS = Path(__file__).resolve().parent / "results.md"


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


def ack_rows(cluster: Cluster, anchor: str) -> list[str]:
    script = lua_script(cluster.secret, f"{cluster.slack}/response/1")
    rows = []
    for connections in (1, 10, 50):
        base = wrk(anchor + "/slack/events", script, connections)
        before = cluster.answered()
        started = time.perf_counter()
        ours = wrk(f"http://127.0.0.1:{cluster.bot_port}/slack/events", script, connections)
        ran = time.perf_counter() - started
        answers, tail = drain(cluster, before)
        answers_per_s = answers / (ran + tail)
        rows.append(
            f"| {connections} | {base['p50']:.2f} / {base['p99']:.2f} | {ours['p50']:.2f} / {ours['p99']:.2f} "
            f"| {base['rps']:.0f} | {ours['rps']:.0f} ({ours['rps'] / base['rps']:.2f}x) | {answers_per_s:.0f} "
            f"| {int(ours['errors'])} |"
        )
    return rows


def memory(cluster: Cluster) -> tuple[int, int]:
    script = lua_script(cluster.secret, f"{cluster.slack}/response/1")
    url = f"http://127.0.0.1:{cluster.bot_port}/slack/events"
    with httpx.Client() as client:
        for _ in range(100):
            b = script.read_text().split('"', 2)[1].encode()
            client.post(url, content=b, headers=signing.signed_headers(cluster.secret, b))
    after_100 = rss_kb(cluster.bot.pid)
    total = 100
    while total < 10_000:
        result = wrk(url, script, 10)
        total += int(result["rps"] * float(os.environ.get("BENCH_SECONDS", "5")))
    time.sleep(2)
    return after_100, rss_kb(cluster.bot.pid)


def slow_provider(latency: str) -> str:
    cluster = Cluster(latency=latency)
    try:
        cluster.start()
        script = lua_script(cluster.secret, f"{cluster.slack}/response/1")
        result = wrk(f"http://127.0.0.1:{cluster.bot_port}/slack/events", script, 10)
        return f"| {latency} | {result['p50']:.2f} | {result['p99']:.2f} | {'yes' if result['p99'] < 300 else 'NO'} |"
    finally:
        cluster.stop()


def main() -> None:
    cluster = Cluster()
    try:
        startup = cluster.start()
        anchor = cluster.anchor()
        rows = ack_rows(cluster, anchor)
        rss_100, rss_10k = memory(cluster)
    finally:
        cluster.stop()
    slow = [slow_provider(latency) for latency in ("2s", "10s")]
    facts = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, wrk over loopback"
    table = "\n".join(
        [
            f"# Switchboard benchmarks\n\nMachine: {facts}; {os.environ.get('BENCH_SECONDS', '5')} s per run.\n",
            "## Ack latency and throughput: signed `/forward list`, Switchboard vs bare Bolt (anchor)\n",
            "| connections | anchor p50 / p99 ms | Switchboard p50 / p99 ms | anchor req/s | Switchboard req/s | answers/s | non-2xx |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "\n## Slow provider (RingCentral emulator answering late), 10 connections\n",
            "| provider latency | ack p50 ms | ack p99 ms | p99 < 300 ms |",
            "| --- | --- | --- | --- |",
            *slow,
            "\n## Memory and start-up\n",
            "| measure | value |",
            "| --- | --- |",
            f"| RSS after 100 requests | {rss_100 / 1024:.1f} MiB |",
            f"| RSS after ≥10,000 requests | {rss_10k / 1024:.1f} MiB ({(rss_10k - rss_100) / 1024:+.1f} MiB) |",
            f"| `switchboard serve` start to first /healthz 200 | {startup:.2f} s |",
        ]
    )
    print(table)
    RESULTS.write_text(table + "\n")


if __name__ == "__main__":
    main()
