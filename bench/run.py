"""`make bench`: Switchboard against a bare Bolt anchor, side by side, in one run.

Processes: the Slack stand-in, the RingCentral emulator (its own process), Switchboard
(`switchboard serve`) and the anchor; `wrk` sends pre-signed `/forward list` requests.
Prints a Markdown table and writes bench/results.md with the machine facts.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bot.devkit.shell.standin import slack_id_for
from bot.web import signing

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_SECONDS", "5")
ALICE = slack_id_for("alice@example.com")
# The emulator's seeded company (bot/devkit/ringcentral/company.json), known to the stand-in
# (bench.standin): the people the ack and slow-provider benches ask as.
SEEDED = ("alice", "bob", "carol", "erin", "frank", "grace", "heidi", "ivan")
COMPANY = [(slack_id_for(f"{name}@example.com"), name) for name in SEEDED]


# The server under test (Switchboard or the anchor) gets a core of its own; wrk, the Slack
# stand-in and the emulator share the other, so neither side's p99 is the OS scheduler's.
SERVER_CPU, LOAD_CPU = ({0}, {1}) if (os.cpu_count() or 1) >= 2 else (None, None)


def pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    """A preexec_fn running the child (and every thread it starts) on `cpus`."""
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def free_ports(count: int) -> list[int]:
    """Distinct free ports: the sockets are held together so the OS can't hand one out twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def wait_http(url: str, timeout: float = 30.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            httpx.get(url, timeout=15)  # the slow-provider emulator answers late on purpose
            return time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.02)
    raise SystemExit(f"bench: {url} never answered")


def list_body(n: int, response_url: str, user: tuple[str, str] | None = None) -> bytes:
    """A signed-to-be `/forward list` by alice (or `user`: id, name); `n` keeps trigger ids apart."""
    user_id, user_name = user or (ALICE, "alice")
    return urlencode(
        {
            "token": "bench",
            "team_id": "T0SWITCHB",
            "channel_id": "C0BENCH",
            "user_id": user_id,
            "user_name": user_name,
            "command": "/forward",
            "text": "list",
            "response_url": response_url,
            "trigger_id": f"{n}.{int(time.time())}.{secrets.token_hex(8)}",
        }
    ).encode()


# Acks that refuse ("busy right now; please try again", a person's "commands in progress; ...
# try again") are not work done: each wrk thread counts them. An ack saying how many are ahead
# in line is accepted work (its answer follows).
BUSY_COUNTER = [
    "busy = 0",
    "local threads = {}",
    "function setup(thread) table.insert(threads, thread) end",
    "response = function(status, headers, body)",
    '  if string.find(body, "try again", 1, true) then busy = busy + 1 end',
    "end",
    "function done(summary, latency, requests)",
    "  local total = 0",
    '  for _, t in ipairs(threads) do total = total + t:get("busy") end',
    '  io.write(string.format("Busy acks: %d\\n", total))',
    "end",
]


def lua_script(
    secret: str, response_url: str, count: int = 200, users: list[tuple[str, str]] | None = None
) -> Path:
    """`count` signed bodies wrk sends in turn: alice's, or each of `users`' in turn."""
    stamp = str(int(time.time()))
    bodies = [list_body(n, response_url, users[n % len(users)] if users else None) for n in range(count)]
    sigs = [signing.sign(secret, stamp, b) for b in bodies]
    lines = ["local bodies = {"] + [f'  "{b.decode()}",' for b in bodies] + ["}", "local sigs = {"]
    lines += [f'  "{s}",' for s in sigs] + ["}", "local i = 0", "request = function()"]
    lines += [
        "  i = i % #bodies + 1",
        f'  wrk.headers["X-Slack-Request-Timestamp"] = "{stamp}"',
        '  wrk.headers["X-Slack-Signature"] = sigs[i]',
        '  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
        '  return wrk.format("POST", "/slack/events", nil, bodies[i])',
        "end",
        *BUSY_COUNTER,
    ]
    path = Path(tempfile.mkstemp(suffix=".lua")[1])
    path.write_text("\n".join(lines))
    return path


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", value)
    assert match, value
    number, unit = float(match.group(1)), match.group(2)
    return number / 1000 if unit == "us" else number * 1000 if unit == "s" else number


def wrk(url: str, script: Path, connections: int, seconds: int | None = None) -> dict[str, float]:
    threads = str(min(2, connections))
    out = subprocess.run(
        [
            "wrk",
            "-t",
            threads,
            "-c",
            str(connections),
            "-d",
            f"{seconds or DURATION}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=pinned(LOAD_CPU),
    ).stdout
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    stats = re.search(r"Latency\s+[\d.]+\w+\s+[\d.]+\w+\s+([\d.]+\w+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in ([\d.]+)s", out)
    busy = re.search(r"Busy acks: (\d+)", out)
    if not (p50 and p99 and stats and rps and total and busy):
        raise SystemExit(f"bench: unexpected wrk output:\n{out}")
    return {
        "p50": _ms(p50.group(1)),
        "p99": _ms(p99.group(1)),
        "max": _ms(stats.group(1)),
        "rps": float(rps.group(1)),
        "errors": float(non2xx.group(1)) if non2xx else 0.0,
        "busy": float(busy.group(1)),
        "accepted_rps": (int(total.group(1)) - int(busy.group(1))) / float(total.group(2)),
    }


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """CPU time a process has used so far (user + system), from /proc; with `children`, its
    live child processes' too (a `serve --workers N` parent and its workers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    if not children:
        return own
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return own + sum(cpu_seconds(int(kid), children=True) for kid in kids)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Cluster:
    """The processes of one bench run."""

    def __init__(self, latency: str = "0s", people: int = 0) -> None:
        self.secret = secrets.token_hex(16)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.slack_port, self.rc_port, self.bot_port, self.anchor_port = free_ports(4)
        self.slack = f"http://127.0.0.1:{self.slack_port}"
        self.db = tempfile.mkdtemp()
        self.log = (Path(self.db) / "processes.log").open("ab")  # what the processes printed
        self.latency = latency
        self.people = people  # > 0: bench.company's people in the stand-in and the emulator

    def spawn(
        self, *args: str, env: dict[str, str] | None = None, server: bool = False
    ) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            args,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=pinned(SERVER_CPU if server else LOAD_CPU),
        )
        self.procs.append(proc)
        return proc

    def start(self) -> float:
        self.spawn(str(BIN / "python"), "-m", "bench.standin", str(self.slack_port), str(self.people))
        if self.people:
            seconds = self.latency.removesuffix("s")
            self.spawn(str(BIN / "python"), "-m", "bench.emulator", str(self.rc_port), seconds)
        else:
            self.spawn(
                str(BIN / "switchboard"),
                "emulator",
                "ringcentral",
                "--port",
                str(self.rc_port),
                "--latency",
                self.latency,
            )
        wait_http(f"{self.slack}/stats")
        wait_http(f"http://127.0.0.1:{self.rc_port}/restapi/oauth/token")
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": self.secret,
            "SLACK_API_URL": f"{self.slack}/api/",
            "DATABASE_URL": f"sqlite:///{self.db}/bench.db",
            "SWITCHBOARD_PROVIDERS": "ringcentral",
            "RINGCENTRAL_SERVER_URL": f"http://127.0.0.1:{self.rc_port}",
            "RINGCENTRAL_CLIENT_ID": "bench",
            "RINGCENTRAL_CLIENT_SECRET": "bench",
            "RINGCENTRAL_JWT": "admin@example.com",
            "SWITCHBOARD_RATE_BUDGET": "false",
            "LOG_LEVEL": "WARNING",
            "PROVIDER_TIMEOUT_SECONDS": "30",
        }
        self.env = env
        return self.restart_bot()

    def restart_bot(self) -> float:
        """Start `switchboard serve` (again); seconds from the spawn to its first /healthz 200."""
        env = {**self.env, "DATABASE_URL": f"sqlite:///{self.db}/bench.db"}
        started = time.perf_counter()
        # BENCH_PROFILE=file: the server runs under cProfile, its stats written at shutdown
        profile = os.environ.get("BENCH_PROFILE")
        run = [str(BIN / "python"), "-m", "cProfile", "-o", profile, "-m", "bot"] if profile else []
        self.bot = self.spawn(
            *(run or [str(BIN / "switchboard")]),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.bot_port),
            env=env,
            server=True,
        )
        wait_http(f"http://127.0.0.1:{self.bot_port}/healthz", timeout=60)
        self.bot_cpu = cpu_seconds(self.bot.pid)
        return time.perf_counter() - started

    def anchor(self) -> str:
        port = self.anchor_port
        self.spawn(
            str(BIN / "python"),
            "-m",
            "bench.anchor",
            str(port),
            self.secret,
            f"{self.slack}/api/",
            server=True,
        )
        wait_http(f"http://127.0.0.1:{port}/", timeout=30)
        return f"http://127.0.0.1:{port}"

    def answered(self) -> int:
        return int(httpx.get(f"{self.slack}/stats").json()["count"])

    def stop(self) -> None:
        for proc in self.procs:
            if proc is getattr(self, "bot", None) and os.environ.get("BENCH_PROFILE"):
                # uvicorn re-raises a SIGTERM after its shutdown, which kills the process before
                # cProfile writes; a SIGINT ends as KeyboardInterrupt, caught by the CLI
                proc.send_signal(signal.SIGINT)
                continue
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=20)
        self.log.close()
