"""`switchboard serve` as a process: signed requests answered, JSON logs, no secret in them."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from bot.devkit.shell.standin import SlackStandIn
from tests.helpers.canaries import CANARIES
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


async def test_serve_answers_and_logs_json_without_secrets(tmp_path: Path) -> None:
    slack, alice = await stand_in_with_alice()
    port = free_port()
    env = serve_env(tmp_path, slack, SWITCHBOARD_PROVIDERS="emulator", LOG_FORMAT="json")
    process = start_serve(port, env)
    try:
        async with healthy(port) as http:
            body = whoami_body(slack, alice)
            answered = await post_signed(http, body)
            assert answered.status_code == 200
            forged = await post_signed(http, body, secret="nope")
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


async def imported_until_healthy(tmp_path: Path, env: dict[str, str]) -> list[str]:
    """The modules `serve` imported (python -X importtime) by the time /healthz answered."""
    log_path = tmp_path / "stderr.txt"  # -X importtime writes far more than a pipe holds
    port = free_port()
    with log_path.open("w") as log_file:
        importtime = (sys.executable, "-X", "importtime", "-m", "bot")
        process = start_serve(port, env, program=importtime, stdout=subprocess.DEVNULL, stderr=log_file)
        try:
            async with healthy(port):
                pass  # /healthz answered: what is imported by now is what a start needs
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
