"""`switchboard serve --workers 2`: two processes on one port, each answering on its own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from pathlib import Path

from bot.devkit.shell.standin import SlackStandIn, SlackUser
from bot.web.workers import SQLITE_REFUSED
from tests.helpers.cli import BIN
from tests.helpers.serve import (
    free_port,
    healthy,
    post_signed,
    serve_env,
    stand_in_with_alice,
    start_serve,
    whoami_body,
)


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def running(pid: int) -> bool:
    """Alive and not a zombie (a reaped worker's pid is gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


async def ask_whoami(port: int, slack: SlackStandIn, alice: SlackUser) -> str:
    """A signed `/switchboard whoami` on a new connection; the text of its answer."""
    # No keep-alive: every request is a new connection, accepted by whichever worker runs.
    async with healthy(port, keepalive=False) as http:
        before = len(slack.of("response_url"))
        acked = await post_signed(http, whoami_body(slack, alice))
        assert acked.status_code == 200
    for _ in range(400):
        if len(slack.of("response_url")) > before:
            return str(slack.of("response_url")[before].args["text"])
        await asyncio.sleep(0.05)
    raise AssertionError("no answer reached the response_url")


async def test_two_workers_each_answer_and_stop_cleanly(tmp_path: Path, postgres_url: str) -> None:
    slack, alice = await stand_in_with_alice()
    port = free_port()
    env = serve_env(tmp_path, slack, SWITCHBOARD_PROVIDERS="emulator")
    env["DATABASE_URL"] = postgres_url  # the workers share it as instances do
    subprocess.run([str(BIN), "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: ASYNC221
    log_path = tmp_path / "stderr.txt"
    with log_path.open("w") as log_file:
        parent = start_serve(port, env, "--workers", "2", stdout=subprocess.DEVNULL, stderr=log_file)
        try:
            for _ in range(200):
                if len(children(parent.pid)) == 2:
                    break
                await asyncio.sleep(0.05)
            workers = children(parent.pid)
            assert len(workers) == 2, workers
            for answering in workers:
                # The other worker is frozen: only `answering` can accept the connection.
                frozen = [pid for pid in workers if pid != answering]
                for pid in frozen:
                    os.kill(pid, signal.SIGSTOP)
                try:
                    assert "`102`" in await ask_whoami(port, slack, alice)
                finally:
                    for pid in frozen:
                        os.kill(pid, signal.SIGCONT)
        finally:
            parent.send_signal(signal.SIGTERM)
            code = parent.wait(timeout=40)
            await slack.stop()
    logged = log_path.read_text()
    assert code == 0, logged
    assert "Traceback" not in logged
    assert not any(running(pid) for pid in workers)


def test_workers_refuse_sqlite_in_one_sentence(tmp_path: Path) -> None:
    env = serve_env(tmp_path, SlackStandIn(), SWITCHBOARD_PROVIDERS="emulator")
    env["SLACK_API_URL"] = "http://127.0.0.1:9/api/"  # never reached
    done = subprocess.run(
        [str(BIN), "serve", "--workers", "2", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"switchboard: {SQLITE_REFUSED}"]
