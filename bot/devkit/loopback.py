"""Serve an ASGI app on a free loopback port inside the running event loop."""

from __future__ import annotations

import asyncio
import socket
from typing import Literal

import uvicorn
from starlette.types import ASGIApp

from bot.web.serve import SERVER_LIMITS


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
        self._server = uvicorn.Server(self._config)
        self._task: asyncio.Task[None] | None = None
        self.url = ""

    async def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
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
            await self._task
            self._task = None
