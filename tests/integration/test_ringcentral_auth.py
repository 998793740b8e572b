"""RingCentral tokens: one login per deployment, single-flight refresh, shared by instances."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.devkit.ringcentral import build_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.providers.errors import AuthError
from bot.providers.ringcentral.client import RingCentralClient
from tests.helpers.rc import wired


@asynccontextmanager
async def instance(
    url: str,
    database_url: str,
    *,
    jwt: str = "admin@example.com",
    app: RingCentralEmulator | None = None,
) -> AsyncIterator[RingCentralClient]:
    """One bot instance: its own database engine and HTTP client, as a process would have."""
    async with wired(database_url, url=url, emulator=app, socket=app is None, as_email=jwt) as rc:
        yield rc.client


async def test_fifty_concurrent_calls_log_in_once(
    platform: tuple[RingCentralEmulator, str], database_url: str
) -> None:
    app, url = platform
    async with instance(url, database_url) as rc:
        found = await asyncio.gather(*(rc.get_extension("~") for _ in range(50)))
    assert {ext.extension_number for ext in found} == {"101"}
    assert app.emulator_state.jwt_logins == 1
    assert app.faults.count("POST", "/oauth/token") == 1


async def test_expired_token_is_refreshed_exactly_once(
    platform: tuple[RingCentralEmulator, str], database_url: str
) -> None:
    app, url = platform
    async with instance(url, database_url) as rc:
        await rc.get_extension("~")
        app.emulator_state.expire_access_tokens()
        await asyncio.gather(*(rc.get_extension("~") for _ in range(50)))
    assert app.emulator_state.jwt_logins == 1
    assert app.emulator_state.refreshes == 1


async def test_instances_share_one_session(
    platform: tuple[RingCentralEmulator, str], database_url: str
) -> None:
    app, url = platform
    async with instance(url, database_url) as first, instance(url, database_url) as second:
        await asyncio.gather(*(c.get_extension("~") for c in (first, second) for _ in range(10)))
        app.emulator_state.expire_access_tokens()
        await asyncio.gather(*(c.get_extension("~") for c in (first, second) for _ in range(10)))
    assert app.emulator_state.jwt_logins == 1
    assert app.emulator_state.refreshes == 1


async def test_refused_refresh_falls_back_to_one_jwt_login(
    platform: tuple[RingCentralEmulator, str], sqlite_url: str
) -> None:
    app, url = platform
    async with instance(url, sqlite_url) as rc:
        await rc.get_extension("~")
        state = app.emulator_state
        state.refresh_tokens.clear()  # revoked on the platform side
        state.expire_access_tokens()
        await asyncio.gather(*(rc.get_extension("~") for _ in range(5)))
    assert app.emulator_state.jwt_logins == 2


async def test_rejected_credentials_raise_auth_error_and_stop_calling(sqlite_url: str) -> None:
    app = build_emulator()
    async with instance("http://rc.test", sqlite_url, jwt="nobody@example.com", app=app) as rc:
        with pytest.raises(AuthError):
            await rc.get_extension("~")
        with pytest.raises(AuthError):
            await rc.get_extension("~")
        assert rc.tokens.credentials_rejected
    assert app.faults.count("POST", "/oauth/token") == 1
