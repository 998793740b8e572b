"""`switchboard serve --workers N`: N processes answering on one port.

The parent binds the listening socket once and starts N `switchboard serve` processes that
inherit it (`--fd`); the kernel hands each new connection to whichever worker accepts it
first. Each worker is a whole instance: its own event loop, runtime, scheduler and front
(`bot.web.serve`, with `bot.web.protocol` and `SERVER_LIMITS`), sharing the database as
separate instances do (leases and rate windows live in the store), so PostgreSQL only: a
SQLite file is for one process. The parent serves nothing itself: it starts a new worker
when one dies, passes SIGTERM/SIGINT on and waits for every worker's graceful shutdown.

/metrics is per worker (each process counts its own requests): scrape each, or run one
worker per container when the counters matter.
"""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

from sqlalchemy.engine import make_url

from bot import logs
from bot.domain.clock import monotonic
from bot.settings import Settings

log = logging.getLogger(__name__)

BACKLOG = 2048  # connections waiting to be accepted, shared by every worker
# A worker that dies this soon after it started is failing to start (a database that can't
# be reached, a port problem): starting it again would only loop, so the parent stops.
CRASH_LOOP_SECONDS = 10.0
# Each worker has uvicorn's timeout_graceful_shutdown (10 s) to finish; past this, killed.
STOP_SECONDS = 20.0
POLL_SECONDS = 0.2


def listen(host: str, port: int) -> socket.socket:
    """The one listening socket every worker inherits."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=BACKLOG)
    sock.set_inheritable(True)
    return sock


SQLITE_REFUSED = (
    "--workers needs PostgreSQL (DATABASE_URL): a SQLite file is for one process only "
    '(docs/deploy.md, "Several instances").'
)


def sqlite(settings: Settings) -> bool:
    return make_url(settings.database_url).get_backend_name() == "sqlite"


class Workers:
    def __init__(self, sock: socket.socket, *, host: str, port: int, count: int) -> None:
        self._sock = sock
        self._command = [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--fd",
            str(sock.fileno()),
        ]
        self._count = count
        self.procs: list[tuple[subprocess.Popen[bytes], float]] = []
        self.stopping = False

    def _start_one(self) -> tuple[subprocess.Popen[bytes], float]:
        # our own interpreter and arguments, nothing from outside
        proc = subprocess.Popen(self._command, pass_fds=(self._sock.fileno(),))  # noqa: S603
        log.info("worker %d started", proc.pid)
        return proc, monotonic()

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        """SIGTERM or SIGINT: every worker is asked to finish (uvicorn's graceful shutdown)."""
        self.stopping = True
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    def run(self) -> int:
        self.procs = [self._start_one() for _ in range(self._count)]
        failed: int | None = None
        while not self.stopping:
            time.sleep(POLL_SECONDS)
            for i, (proc, started) in enumerate(self.procs):
                code = proc.poll()
                if code is None or self.stopping:
                    continue
                if monotonic() - started < CRASH_LOOP_SECONDS:
                    log.error(
                        "worker %d stopped at start (exit %d); stopping the others", proc.pid, code
                    )
                    failed = code or 1
                    self.stop(signal.SIGTERM, None)
                    break
                log.warning("worker %d exited (%d); starting another", proc.pid, code)
                self.procs[i] = self._start_one()
        code = self._wait()
        return code if failed is None else failed

    def _wait(self) -> int:
        """Every worker's exit: 0 when all shut down cleanly."""
        deadline = monotonic() + STOP_SECONDS
        worst = 0
        for proc, _ in self.procs:
            try:
                code = proc.wait(timeout=max(0.1, deadline - monotonic()))
            except subprocess.TimeoutExpired:
                log.error("worker %d did not stop within %.0f s; killed", proc.pid, STOP_SECONDS)
                proc.kill()
                code = proc.wait()
            if code not in (0, -signal.SIGTERM, -signal.SIGINT):
                worst = worst or code or 1
        return worst


def run_workers(settings: Settings, *, host: str, port: int, count: int) -> int:
    logs.configure(settings.log_level, settings.log_format)
    if sqlite(settings):
        print(f"switchboard: {SQLITE_REFUSED}", file=sys.stderr)
        return 2
    sock = listen(host, port)
    workers = Workers(sock, host=host, port=port, count=count)
    signal.signal(signal.SIGTERM, workers.stop)
    signal.signal(signal.SIGINT, workers.stop)
    log.info("Switchboard: %d workers on http://%s:%d/slack/events", count, host, port)
    try:
        return workers.run()
    finally:
        sock.close()
