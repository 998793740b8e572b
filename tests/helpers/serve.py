"""`switchboard serve` as a process in tests: a free port, its environment, the process
started on it, waited for until /healthz answers, and a signed `/switchboard whoami`."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO

import httpx

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import SlackStandIn, SlackUser, slack_id_for
from bot.web import signing
from tests.helpers.canaries import CANARIES
from tests.helpers.cli import BIN

SECRET = CANARIES["SLACK_SIGNING_SECRET"]

Output = int | IO[str] | None  # subprocess.PIPE, subprocess.DEVNULL or an open file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


STARTUP_SECONDS = 60.0  # a loaded CI machine may start `serve` slowly


async def until_healthy(http: httpx.AsyncClient) -> None:
    """Wait for the process to answer /healthz (it may still be starting), by the clock."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            await asyncio.sleep(0.05)
    raise AssertionError("serve never answered /healthz")


def serve_env(tmp_path: Path, slack: SlackStandIn, **settings: str) -> dict[str, str]:
    """The environment of a `serve` process: canary secrets, the stand-in, its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SWITCHBOARD_"))}
    env.update(CANARIES, RINGCENTRAL_SIGNIN_CLIENT_ID="signin-app")  # the secret's own id
    env.update(SLACK_API_URL=slack.api_url, DATABASE_URL=f"sqlite:///{tmp_path}/serve.db", **settings)
    return env


async def stand_in_with_alice() -> tuple[SlackStandIn, SlackUser]:
    """A started Slack stand-in whose workspace has Alice (RingCentral extension 102)."""
    slack = SlackStandIn()
    await slack.start()
    alice = SlackUser(slack_id_for("alice@example.com"), "alice", "Alice Martin", "alice@example.com")
    slack.add_user(alice)
    return slack, alice


def start_serve(
    port: int,
    env: dict[str, str],
    *options: str,
    program: Sequence[str] = (str(BIN),),
    stdout: Output = subprocess.PIPE,
    stderr: Output = subprocess.PIPE,
    cwd: Path | None = None,
) -> subprocess.Popen[str]:
    """`<program> serve <options> --host 127.0.0.1 --port <port>`, started (not waited for)."""
    return subprocess.Popen(
        [*program, "serve", *options, "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=stderr,
        text=True,
    )


@asynccontextmanager
async def healthy(port: int, *, keepalive: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the process on `port`, once it answers /healthz; without `keepalive`,
    every request opens a new connection."""
    default = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # httpx's own
    limits = default if keepalive else httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10, limits=limits) as http:
        await until_healthy(http)
        yield http


def whoami_body(slack: SlackStandIn, user: SlackUser) -> bytes:
    """`/switchboard whoami` from `user`; its answer goes to the stand-in's response_url."""
    return payloads.slash_command(
        user_id=user.id,
        user_name=user.name,
        command="/switchboard",
        text="whoami",
        response_url=slack.response_url(),
    )


async def post_signed(http: httpx.AsyncClient, body: bytes, *, secret: str = SECRET) -> httpx.Response:
    """POST `body` to /slack/events, signed with `secret` as Slack signs it."""
    return await http.post("/slack/events", content=body, headers=signing.signed_headers(secret, body))
