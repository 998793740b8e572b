"""The loopback server the Slack stand-in, the emulators and served bots run on
(bot/devkit/loopback.py) answers at once, as uvicorn bound by host and port does."""

from __future__ import annotations

import time

import httpx
import pytest
from starlette.responses import PlainTextResponse

from bot.devkit.loopback import LoopbackServer


@pytest.mark.served  # a real socket
async def test_answers_do_not_wait_for_the_clients_delayed_ack() -> None:
    """Without TCP_NODELAY on the accepted socket, each answer (head and body written apart)
    waited ~40 ms for the client's delayed ACK: 20 requests took ~0.9 s."""
    server = LoopbackServer(PlainTextResponse("ok"))
    url = await server.start()
    try:
        async with httpx.AsyncClient(base_url=url) as http:
            await http.get("/")  # the connection, opened and kept
            started = time.monotonic()
            statuses = [(await http.get("/")).status_code for _ in range(20)]
            elapsed = time.monotonic() - started
    finally:
        await server.stop()
    assert statuses == [200] * 20
    assert elapsed < 0.4, f"20 requests took {elapsed:.2f} s"
