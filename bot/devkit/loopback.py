"""Serve an ASGI app on a free loopback port inside the running event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

from bot.web.serve import SERVER_LIMITS


class _Server(uvicorn.Server):
    """uvicorn's server, noticing `stop()` at once: its loop looks at `should_exit` only every
    0.1 s, which every test serving the Slack stand-in waited out at its end."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.stopping = asyncio.Event()

    async def main_loop(self) -> None:
        # uvicorn's own loop (its ticks refresh the Date header), woken early by `stopping`
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), 0.1)
            should_exit = await self.on_tick(counter)


class LoopbackServer:
    def __init__(
        self,
        app: ASGIApp,
        *,
        lifespan: Literal["auto", "on", "off"] = "off",
        http: type[asyncio.Protocol] | str = "auto",
    ) -> None:
        self._config = uvicorn.Config(
            app, log_config=None, access_log=False, lifespan=lifespan, http=http, **SERVER_LIMITS
        )
        self._server = _Server(self._config)
        self._task: asyncio.Task[None] | None = None
        self.url = ""

    async def start(self) -> str:
        # Named TCP, as uvicorn's own host/port binding gets it from getaddrinfo: asyncio sets
        # TCP_NODELAY only on accepted sockets whose protocol says TCP, and without it every
        # answer (head and body written apart) waited ~40 ms for the client's delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        # uvicorn exposes no "started" event; poll its flag briefly.
        while not self._server.started:
            if self._task.done():
                await self._task
            await asyncio.sleep(0.005)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._task is not None:
            self._server.should_exit = True
            self._server.stopping.set()
            await self._task
            self._task = None
