"""`switchboard serve` as a process: signed requests answered, JSON logs, no secret in them."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bot.devkit.shell import payloads
from bot.devkit.shell.standin import SlackStandIn, SlackUser, slack_id_for
from bot.web import signing
from tests.e2e.cli import BIN
from tests.e2e.test_startup import CANARIES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def until_healthy(http: httpx.AsyncClient, *, attempts: int) -> None:
    """Wait for the process to answer /healthz (it may still be starting). `attempts` is in
    twentieths of a second, counted by the clock: a loaded CI machine may start it slowly."""
    deadline = time.monotonic() + max(attempts * 0.05, 60.0)
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


async def test_serve_answers_and_logs_json_without_secrets(tmp_path: Path) -> None:
    slack = SlackStandIn()
    await slack.start()
    alice = SlackUser(slack_id_for("alice@example.com"), "alice", "Alice Martin", "alice@example.com")
    slack.add_user(alice)
    port = free_port()
    env = serve_env(tmp_path, slack, SWITCHBOARD_PROVIDERS="emulator", LOG_FORMAT="json")
    process = subprocess.Popen(  # noqa: ASYNC220 (started once, read after)
        [str(BIN), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            await until_healthy(http, attempts=200)
            body = payloads.slash_command(
                user_id=alice.id,
                user_name="alice",
                command="/switchboard",
                text="whoami",
                response_url=slack.response_url(),
            )
            secret = CANARIES["SLACK_SIGNING_SECRET"]
            answered = await http.post(
                "/slack/events", content=body, headers=signing.signed_headers(secret, body)
            )
            assert answered.status_code == 200
            forged = await http.post(
                "/slack/events", content=body, headers=signing.signed_headers("nope", body)
            )
            assert forged.status_code == 401
            for _ in range(200):
                if slack.of("response_url"):
                    break
                await asyncio.sleep(0.05)
        assert "`102`" in slack.of("response_url")[0].args["text"]
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
        await slack.stop()
    logs = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert logs, "serve logged nothing"
    handled = [entry for entry in logs if entry["command"] == "/switchboard"]
    assert handled
    assert handled[0]["slack_user"] == alice.id
    assert handled[0]["request_id"] != "-"
    assert "duration_ms" in handled[0]
    assert any("EMULATOR" in entry["message"] for entry in logs)
    for value in CANARIES.values():
        assert value not in out + err
    assert sys.executable  # the venv's python ran the script


REAL_PROVIDERS = {
    "SWITCHBOARD_PROVIDERS": "ringcentral,voipnow,smspartner",
    "RINGCENTRAL_SERVER_URL": "http://127.0.0.1:9",  # never reached before /healthz
    "RINGCENTRAL_CLIENT_ID": "id",
    "RINGCENTRAL_CLIENT_SECRET": "secret-value",
    "RINGCENTRAL_JWT": "jwt-value",
    "VOIPNOW_URL": "http://127.0.0.1:9",
    "VOIPNOW_CLIENT_ID": "id",
    "VOIPNOW_CLIENT_SECRET": "secret-value",
    "SMSPARTNER_API_KEY": "key-value",
    "SMSPARTNER_NUMBERS": "+33612345678",
}


LISTEN = ("--host", "127.0.0.1", "--port")


async def imported_until_healthy(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """The modules `serve` imported (python -X importtime) by the time /healthz answered."""
    log_path = tmp_path / "stderr.txt"  # -X importtime writes far more than a pipe holds
    port = free_port()
    with log_path.open("w") as log_file:
        process = subprocess.Popen(  # noqa: ASYNC220 (started once, read after)
            [sys.executable, "-X", "importtime", "-m", "bot", "serve", *LISTEN, str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            text=True,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
                await until_healthy(http, attempts=400)
        finally:
            process.terminate()
            process.wait(timeout=20)
    imported = [
        line.rsplit("|", 1)[-1].strip()
        for line in log_path.read_text().splitlines()
        if line.startswith("import time:")
    ]
    assert any(name == "bot.web.serve" for name in imported), "importtime printed nothing"
    return imported


async def test_serve_with_real_providers_loads_no_dev_tools(tmp_path: Path) -> None:
    slack = SlackStandIn()
    await slack.start()
    try:
        imported = await imported_until_healthy(tmp_path, serve_env(tmp_path, slack, **REAL_PROVIDERS))
    finally:
        await slack.stop()
    dev = [name for name in imported if name.startswith(("bot.devkit", "bench"))]
    assert dev == []


async def test_serve_on_a_current_database_loads_only_what_serving_needs(tmp_path: Path) -> None:
    """A restart (the database already at head) reaches /healthz without Alembic, the
    geocoder's place names or icalendar: each loads when first needed, not at every start."""
    slack = SlackStandIn()
    await slack.start()
    env = serve_env(tmp_path, slack, **REAL_PROVIDERS)
    try:
        subprocess.run([str(BIN), "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: ASYNC221
        imported = await imported_until_healthy(tmp_path, env)
    finally:
        await slack.stop()
    deferred = ("alembic", "mako", "phonenumbers.geocoder", "phonenumbers.geodata", "icalendar")
    assert [name for name in imported if name.startswith(deferred)] == []
