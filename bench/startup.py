"""`switchboard serve` start to its first /healthz 200, and what its imports cost.

    python -m bench.startup        # prints a Markdown table

The Slack stand-in and the RingCentral emulator run first (their own processes); then
`switchboard serve` is started ROUNDS times (the first on a new SQLite file, which it
migrates; then restarts on it) and timed from the spawn to the first 200 on
/healthz. The imports are measured apart with `python -X importtime` (the process's own
import of `bot.cli` and `bot.web.serve`, what `serve` loads before it listens). Our modules
are compiled to bytecode first, as an installed wheel has them (the Dockerfile).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

from bench.run import BIN, Cluster

ROUNDS = 5
GOAL_SECONDS = 1.0
# `serve` holds the garbage collector through its start (bot.gc_tuning), so these are timed so too.
IMPORTS = "import bot.gc_tuning as g; g.hold_collector(); import bot.cli, bot.web.serve"


def compile_bytecode() -> None:
    """Our modules compiled, as installing the wheel does (the Dockerfile): a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile each of them from source at every start."""
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [str(BIN / "python"), "-m", "compileall", "-q", str(root / "bot"), str(root / "handlers")],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        stdout=subprocess.DEVNULL,
        check=True,
    )


def import_seconds() -> float:
    """Cumulative import time of what `serve` imports before it listens (median of 3)."""
    runs = []
    for _ in range(3):
        err = subprocess.run(
            [str(BIN / "python"), "-X", "importtime", "-c", IMPORTS],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        total = sum(
            int(m.group(1)) for m in re.finditer(r"^import time:\s+\d+ \|\s+(\d+) \| \S", err, re.M)
        )
        runs.append(total / 1e6)
    return statistics.median(runs)


def start_seconds(rounds: int = ROUNDS) -> list[tuple[float, float]]:
    """(wall, CPU) seconds to the first /healthz 200: the first start, then the restarts."""
    cluster = Cluster()
    try:
        times = [(cluster.start(), cluster.bot_cpu)]
        for _ in range(rounds - 1):
            cluster.bot.terminate()
            cluster.bot.wait(timeout=20)
            cluster.procs.remove(cluster.bot)
            times.append((cluster.restart_bot(), cluster.bot_cpu))
    finally:
        cluster.stop()
    return times


def startup_table() -> tuple[list[str], bool]:
    compile_bytecode()
    (first, first_cpu), *again = start_seconds()
    walls = sorted(wall for wall, _ in again)
    cpu = statistics.median(cpu for _, cpu in again)
    median = statistics.median(walls)
    imports = import_seconds()
    met = first <= GOAL_SECONDS and median <= GOAL_SECONDS
    return [
        "`switchboard serve` timed from the spawn to the first 200 on /healthz: once on a new "
        f"SQLite file (the first start migrates it), then restarted {len(again)} times on it; the "
        "CPU the process used by then (user + system, from /proc) shows the work apart from waits "
        f"for a busy machine's cores; imports measured apart with `python -X importtime -c '{IMPORTS}'` "
        f"(median of 3). Goal: ≤ {GOAL_SECONDS:g} s.\n",
        "| first start (migrates): wall / CPU | restart: wall median (min / max) / CPU median "
        "| imports before listening | met |",
        "| --- | --- | --- | --- |",
        f"| {first:.2f} / {first_cpu:.2f} s | {median:.2f} s ({walls[0]:.2f} / {walls[-1]:.2f}) / "
        f"{cpu:.2f} s | {imports:.2f} s | {'yes' if met else 'NO'} |",
    ], met


if __name__ == "__main__":
    rows, _ = startup_table()
    print("\n".join(rows))
    sys.exit(0)
