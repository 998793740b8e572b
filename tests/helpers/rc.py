"""A RingCentral client wired to an emulator, over loopback or in-process."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import build_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.providers.http import ProviderHttp, RetryPolicy
from bot.providers.limiter import RateLimiter
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.client import GROUP_LIMITS, RingCentralClient
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.store import Database
from bot.store.migrate import upgrade

ALICE = "2263488004"
BOB = "2263489004"


@dataclass
class Wired:
    client: RingCentralClient
    emulator: RingCentralEmulator
    database: Database


@asynccontextmanager
async def wired(
    database_url: str,
    *,
    socket: bool = True,
    emulator: RingCentralEmulator | None = None,
    url: str | None = None,
    as_email: str = "admin@example.com",
    read_timeout: float = 5.0,
    policy: RetryPolicy | None = None,
    budget: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[Wired]:
    """A client (one bot instance) on its own engine; with `url`, against a shared emulator."""
    emulator = emulator or build_emulator()
    server = LoopbackServer(emulator) if socket and url is None else None
    url = url or (await server.start() if server else "http://rc.test")
    transport = None if socket else httpx.ASGITransport(app=emulator)
    database = Database(database_url)
    await upgrade(database)
    timeout = httpx.Timeout(connect=2.0, read=read_timeout, write=read_timeout, pool=2.0)
    http_client = httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout)
    policy = policy or RetryPolicy(scale=0.01)
    limiter = RateLimiter(
        provider=RINGCENTRAL,
        limits=GROUP_LIMITS,
        database=database,
        enabled=budget,
        person_wait=policy.max_hold_wait,
    )
    http = ProviderHttp(http_client, provider=RINGCENTRAL, policy=policy, limiter=limiter, clock=clock)
    tokens = TokenManager(
        http=http,
        database=database,
        client_id="id",
        client_secret=SecretStr("secret"),
        jwt=SecretStr(as_email),
    )
    try:
        yield Wired(RingCentralClient(http=http, tokens=tokens), emulator, database)
    finally:
        await http_client.aclose()
        await database.dispose()
        if server:
            await server.stop()
