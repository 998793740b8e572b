"""The 9:00 burst as it would run in production: every part its own process.

The RingCentral emulator with the generated company and RingCentral's limits enforced
(`bench.emulator --rate-limits`), the Slack stand-in (`bench.standin`), two `switchboard
serve` instances on one PostgreSQL schema, and the load (`python -m bench.burst load …`):
PEOPLE people each type `/forward list` and open the App Home at a random moment within
BURST_SECONDS, alternately on each instance; half of them connected with their own sign-in.
The `/forward list` answers are scored (the App Home opens are load only): answered with
their data (connected or not), told when to retry; ack latencies; 429s; each instance's CPU.

    python -m bench.burst            # every design; needs the PostgreSQL of "Development"
    python -m bench.burst workers    # only the designs whose label names it
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.company import FIRST_ID, PEOPLE, POSTGRES, link_everyone, person
from bench.run import BIN, LOAD_CPU, SERVER_CPU, cpu_seconds, free_ports, pinned, wait_http
from bot.devkit.shell import payloads
from bot.web import signing

BURST_SECONDS = 60.0
CONNECTED = 0.5


@dataclass(frozen=True)
class Design:
    """One way of running the burst: who is connected, the shared limiter, the processes."""

    label: str
    connected: float = CONNECTED  # the share of people signed in with their own login
    budget: bool = True  # the shared rate limiter (SWITCHBOARD_RATE_BUDGET)
    workers: tuple[int, ...] = (1, 1)  # one `serve` per entry, each with that many workers
    pin: bool = True  # each server on the server core (the load and stand-ins on the other)

    @property
    def judged(self) -> bool:
        """The goals apply to the design as built, not to the old one shown beside it."""
        return self.budget


DESIGNS = (
    Design("as built: two instances, half connected"),
    Design("old design: one admin token, no shared limiter, two instances", connected=0.0, budget=False),
    Design("as built: one `serve --workers 1`, both cores", workers=(1,), pin=False),
    Design("as built: one `serve --workers 2`, both cores", workers=(2,), pin=False),
)
RETRY = re.compile(r"try again in (\d+) seconds")
SECRET_KEY = "bench-" + "k" * 40


async def _load(urls: list[str], secret: str, slack: str, connected: int) -> dict[str, Any]:
    sent: dict[str, tuple[float, int]] = {}
    acks: list[float] = []
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=200)) as http:

        async def one(i: int, at: float, started: float) -> None:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            url = urls[i % len(urls)]
            rid = f"b{i}"
            body = payloads.slash_command(
                user_id=person(i),
                user_name=f"p{i}",
                command="/forward",
                text="list",
                response_url=f"{slack}/response/{rid}",
            )
            sent[rid] = (time.time(), i)
            began = time.monotonic()
            reply = await http.post(
                f"{url}/slack/events", content=body, headers=signing.signed_headers(secret, body)
            )
            acks.append((time.monotonic() - began) * 1000)
            assert reply.status_code == 200, reply.status_code
            home = payloads.app_home_opened(person(i))
            headers = {**signing.signed_headers(secret, home), "Content-Type": "application/json"}
            await http.post(f"{url}/slack/events", content=home, headers=headers)

        started = time.monotonic()
        moments = sorted(random.uniform(0, BURST_SECONDS) for _ in range(PEOPLE))
        await asyncio.gather(*(one(i, at, started) for i, at in enumerate(moments)))
        answers: dict[str, tuple[float, str]] = {}
        deadline = time.monotonic() + 120
        while len(answers) < len(sent) and time.monotonic() < deadline:
            for rid in [r for r in sent if r not in answers]:
                got = (await http.get(f"{slack}/answered/{rid}")).json()
                if got["at"] is not None:
                    answers[rid] = (got["at"], got["text"] or "")
            await asyncio.sleep(1)
    waits: dict[str, list[float]] = {"connected": [], "others": []}
    served = {"connected": 0, "others": 0}
    told, retry = 0, []
    for rid, (at, text) in answers.items():
        asked, i = sent[rid]
        group = "connected" if i < connected else "others"
        waits[group].append(at - asked)
        if "+1415557" in text or "(415) 557" in text:
            served[group] += 1
        elif found := RETRY.search(text):
            told += 1
            retry.append(int(found.group(1)))
    acks.sort()
    return {
        "asked": len(sent),
        "answered": len(answers),
        "connected": connected,
        "served": served,
        "told": told,
        "retry": [min(retry), max(retry)] if retry else None,
        "waits": {group: sorted(w) for group, w in waits.items()},
        "ack_p50": statistics.median(acks),
        "ack_p99": acks[int(len(acks) * 0.99)],
        "ack_max": acks[-1],
    }


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(len(values) * q))] if values else 0.0


async def _seed(settings_env: dict[str, str], tokens: list[dict[str, Any]]) -> None:
    """A company that has run a while: everyone linked by email, the first ones signed in."""
    from bot.runtime import start_runtime
    from bot.settings import load_settings
    from bot.store.tokens import TokenPair

    settings = load_settings(**{k.lower(): v for k, v in settings_env.items()})
    runtime = await start_runtime(settings, migrate=False)
    try:
        now = datetime.now(UTC)
        await link_everyone(runtime, now)
        sign_ins = runtime.providers.sign_in
        assert sign_ins is not None
        for i, issued in enumerate(tokens):
            pair = TokenPair(
                issued["access_token"],
                issued["refresh_token"],
                now + timedelta(seconds=issued["expires_in"]),
                now + timedelta(seconds=issued["refresh_token_expires_in"]),
                str(FIRST_ID + i),
            )
            await sign_ins.keep(person(i), pair)
    finally:
        await runtime.aclose()


def run(design: Design) -> dict[str, Any]:
    slack_port, rc_port, *bot_ports = free_ports(2 + len(design.workers))
    slack, rc = f"http://127.0.0.1:{slack_port}", f"http://127.0.0.1:{rc_port}"
    secret = secrets.token_hex(16)
    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    folder = Path(tempfile.mkdtemp())
    log = (folder / "processes.log").open("ab")
    procs: list[subprocess.Popen[bytes]] = []

    def spawn(
        *args: str, env: dict[str, str] | None = None, cpu: set[int] | None = None
    ) -> subprocess.Popen[bytes]:
        import os

        proc = subprocess.Popen(
            args,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=pinned(cpu),
        )
        procs.append(proc)
        return proc

    tokens_file = folder / "tokens.json"
    connected = int(PEOPLE * design.connected)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": f"{slack}/api/",
        "DATABASE_URL": POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
        + f"?options=-csearch_path%3D{schema}",
        "SWITCHBOARD_PROVIDERS": "ringcentral",
        "RINGCENTRAL_SERVER_URL": rc,
        "RINGCENTRAL_CLIENT_ID": "bench-app",
        "RINGCENTRAL_CLIENT_SECRET": "bench-secret",
        "RINGCENTRAL_JWT": "admin@example.com",
        "RINGCENTRAL_SIGNIN_CLIENT_ID": "bench-signin-app",
        "RINGCENTRAL_SIGNIN_CLIENT_SECRET": "bench-signin-secret",
        "SWITCHBOARD_SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "ERROR",
        "SWITCHBOARD_RATE_BUDGET": "true" if design.budget else "false",
    }
    try:
        spawn(str(BIN / "python"), "-m", "bench.standin", str(slack_port), str(PEOPLE), cpu=LOAD_CPU)
        spawn(
            str(BIN / "python"), "-m", "bench.emulator", str(rc_port), "0", "--rate-limits",
            "--issue", str(connected), str(tokens_file), cpu=LOAD_CPU,
        )  # fmt: skip
        wait_http(f"{slack}/stats")
        wait_http(f"{rc}/restapi/oauth/token")
        subprocess.run(
            [str(BIN / "switchboard"), "db", "upgrade"], env={**env}, check=True, capture_output=True
        )
        asyncio.run(_seed(env, json.loads(tokens_file.read_text())))
        bots = [
            spawn(
                str(BIN / "switchboard"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                env=env,
                cpu=SERVER_CPU if design.pin else None,
            )
            for port, workers in zip(bot_ports, design.workers, strict=True)
        ]
        urls = [f"http://127.0.0.1:{port}" for port in bot_ports]
        for url in urls:
            wait_http(f"{url}/healthz", timeout=60)
        cpu_before = [cpu_seconds(bot.pid, children=True) for bot in bots]
        out = subprocess.run(
            [str(BIN / "python"), "-m", "bench.burst", "load", secret, slack, str(connected), *urls],
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=pinned(LOAD_CPU),
        ).stdout
        got: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        got["cpu"] = [
            cpu_seconds(bot.pid, children=True) - before
            for bot, before in zip(bots, cpu_before, strict=True)
        ]
        got["429s"] = int(tokens_file.with_suffix(".refused").read_text() or 0)
        return got
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        log.close()
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _row(design: Design, got: dict[str, Any]) -> tuple[str, bool]:
    mine, others = got["waits"]["connected"], got["waits"]["others"]
    met = (
        got["429s"] == 0
        and got["served"]["connected"] == got["connected"]
        and _pct(mine, 0.95) <= 2.0
        and got["ack_p99"] <= 50
    )
    window = f"{got['retry'][0]} to {got['retry'][1]}" if got["retry"] else "-"
    if not got["connected"]:
        mine_text = "-"
    else:
        mine_text = f"{_pct(mine, 0.5):.2f} / {_pct(mine, 0.95):.2f} / {_pct(mine, 1.0):.2f}"
    verdict = ("yes" if met else "NO") if design.judged else "(shown for comparison)"
    return (
        f"| {design.label} | {got['429s']} | {got['served']['connected']} of {got['connected']} / "
        f"{got['served']['others']} of {got['asked'] - got['connected']} | {got['told']} ({window}) | "
        f"{mine_text} | {_pct(others, 0.5):.2f} / {_pct(others, 0.95):.2f} / {_pct(others, 1.0):.2f} | "
        f"{got['ack_p50']:.1f} / {got['ack_p99']:.1f} / {got['ack_max']:.0f} | "
        f"{' / '.join(f'{c:.1f}' for c in got['cpu'])} | {verdict} |",
        met or not design.judged,
    )


def burst_table(designs: tuple[Design, ...] = DESIGNS) -> tuple[list[str], bool]:
    rows = [_row(design, run(design)) for design in designs]
    return [
        f"{PEOPLE:,} people each type `/forward list` and open the App Home within {BURST_SECONDS:.0f} s, "
        "alternately on each `serve` process, sharing one PostgreSQL schema; the emulator (RingCentral's "
        'limits enforced), the Slack stand-in and the load each their own process. "Connected" people '
        "signed in with their own login. The lists are scored (the App Home opens are load). The two-instance "
        "rows run each server on one core and the rest on the other; the one-server rows leave the "
        "scheduler free (the `--workers` comparison). CPU is per `serve` process, its workers included. "
        "Goals (as built): every connected person answered with their data within 2 s at p95, "
        "ack p99 ≤ 50 ms, no 429.\n",
        "| design | 429s | lists with their data: connected / others | told when to retry (in s) "
        "| answer p50 / p95 / max s: connected | others | ack p50 / p99 / max ms | CPU s per `serve` | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(row for row, _ in rows),
    ], all(met for _, met in rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["load"]:
        secret, slack, connected, *urls = sys.argv[2:]
        print(json.dumps(asyncio.run(_load(urls, secret, slack, int(connected)))))
    else:
        chosen = tuple(d for d in DESIGNS if not sys.argv[1:] or any(w in d.label for w in sys.argv[1:]))
        rows, _ = burst_table(chosen)
        print("\n".join(rows))
