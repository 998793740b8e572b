"""docs/contract.md "Fair shares and a hardened front", against `switchboard serve` as a process.

Only a real process shows these: the HTTP parser uvicorn picks (httptools when installed),
its timers and its connection handling. One process, one test: the 10 s timers run while
every other attack is tried.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from pathlib import Path

from tests.helpers.serve import (
    free_port,
    healthy,
    post_signed,
    serve_env,
    stand_in_with_alice,
    start_serve,
    whoami_body,
)

IDLE = 1000


async def raw(port: int, data: bytes, *, read: bool = True) -> bytes:
    """Send `data` on a fresh connection; what the server answers before it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 15) if read else b""
    finally:
        writer.close()


def head_of(size: int) -> bytes:
    filler = b"x" * max(0, size - 60)
    return b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Pad: " + filler + b"\r\n\r\n"


def slack_head(length: int) -> bytes:
    stamp = str(int(time.time()))
    return (
        "POST /slack/events HTTP/1.1\r\nHost: a\r\n"
        f"X-Slack-Request-Timestamp: {stamp}\r\nX-Slack-Signature: v0={'0' * 64}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes | None:
    """What a connection received until the server closed it (None: still open)."""
    try:
        return await asyncio.wait_for(reader.read(), seconds)
    except TimeoutError:
        return None
    except ConnectionError:
        return b""


async def test_the_front_holds_against_heads_idle_connections_and_stalls(tmp_path: Path) -> None:
    slack, alice = await stand_in_with_alice()
    port = free_port()
    env = serve_env(tmp_path, slack, SWITCHBOARD_PROVIDERS="emulator", LOG_FORMAT="json")
    process = start_serve(port, env, stdout=subprocess.DEVNULL)
    writers: list[asyncio.StreamWriter] = []
    try:
        async with healthy(port) as http:
            started = time.monotonic()
            idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(IDLE)]
            writers += [w for _, w in idle]
            slow_head = await asyncio.open_connection("127.0.0.1", port)
            slow_head[1].write(b"GET /healthz HTTP/1.1\r\nHost: a\r\n")  # never finished
            stalled = await asyncio.open_connection("127.0.0.1", port)
            stalled[1].write(slack_head(400_000) + b"x" * 300_000)  # a big body, stalled
            writers += [slow_head[1], stalled[1]]
            gone = await asyncio.open_connection("127.0.0.1", port)
            gone[1].write(slack_head(100_000) + b"x" * 1000)  # then the client goes away
            await gone[1].drain()
            await asyncio.sleep(0.2)
            gone[1].transport.abort()

            # With 1,000 idle connections open, /healthz and Slack's signed requests are served.
            assert (await http.get("/healthz")).status_code == 200
            answered = await post_signed(http, whoami_body(slack, alice))
            assert answered.status_code == 200
            for _ in range(100):
                if slack.of("response_url"):
                    break
                await asyncio.sleep(0.05)
            assert "`102`" in slack.of("response_url")[0].args["text"]

            # Heads over 16 KiB: 431 (httptools has no cap of its own); 15 KiB is fine.
            for size in (1024 * 1024, 4 * 1024 * 1024, 17 * 1024):
                answer = await raw(port, head_of(size))
                assert answer.startswith(b"HTTP/1.1 431"), (size, answer[:60])
            fine = await raw(port, head_of(15 * 1024))
            assert fine.startswith(b"HTTP/1.1 200"), fine[:60]

            # No complete head within 10 s: closed; a body not complete within 10 s: 408.
            left = 10.0 - (time.monotonic() - started)
            assert await closed_within(slow_head[0], left - 0.5) is None  # not before 10 s
            assert await closed_within(slow_head[0], 3.0) == b""
            timed_out = await closed_within(stalled[0], 3.0)
            assert timed_out is not None
            assert timed_out.startswith(b"HTTP/1.1 408"), timed_out[:60]
            still_open = 0
            for reader, _ in idle:
                if await closed_within(reader, 0.01) is None:
                    still_open += 1
            assert still_open == 0
            assert (await http.get("/healthz")).status_code == 200
    finally:
        for writer in writers:
            writer.transport.abort()
        process.terminate()
        _, err = process.communicate(timeout=20)
        await slack.stop()
    logs = [json.loads(line) for line in err.splitlines() if line.strip().startswith("{")]
    went_away = [e for e in logs if "went away" in e["message"]]
    assert len(went_away) == 2, [e["message"] for e in logs][-20:]  # the aborted upload, the 408
    assert len([e for e in logs if "(408)" in e["message"]]) == 1
    assert "Traceback" not in err
    assert not any(e.get("exc_info") or e.get("exception") for e in logs)
