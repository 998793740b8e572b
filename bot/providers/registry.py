"""Build the configured provider clients once per process (one httpx client each)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from pydantic import SecretStr

from bot.providers.base import Directory, ProviderName
from bot.providers.budget import RateBudget
from bot.providers.http import ProviderHttp, RetryPolicy
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.client import GROUP_LIMITS, RingCentralClient
from bot.providers.ringcentral.emulator import build_emulator
from bot.providers.ringcentral.emulator.app import RingCentralEmulator
from bot.settings import Provider, Settings
from bot.store import Database

log = logging.getLogger(__name__)

Alert = Callable[[str], Awaitable[None]]  # tells admins about a configuration problem

CONNECT_TIMEOUT = 5.0
TOKEN_RETRY_AFTER_DEFAULT = 60.0  # DESIGN: RingCentral's Retry-After default
EMULATOR_URL = "http://ringcentral.emulator"
EMULATOR_IDENTITY = "admin@example.com"  # the emulator's JWT assertion: the account admin


@dataclass
class Providers:
    ringcentral: RingCentralClient | None = None
    ringcentral_emulator: RingCentralEmulator | None = None
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def directory(self) -> Directory | None:
        return self.ringcentral

    @property
    def configured(self) -> list[ProviderName]:
        return [ProviderName.RINGCENTRAL] if self.ringcentral else []

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


def timeouts(settings: Settings) -> httpx.Timeout:
    read = settings.provider_timeout_seconds
    return httpx.Timeout(connect=CONNECT_TIMEOUT, read=read, write=read, pool=CONNECT_TIMEOUT)


def build_providers(
    settings: Settings,
    database: Database,
    *,
    transports: dict[ProviderName, httpx.AsyncBaseTransport] | None = None,
    alert: Alert | None = None,
) -> Providers:
    """Clients for every provider in SWITCHBOARD_PROVIDERS; `emulator` runs them in-process."""
    transports = dict(transports or {})
    providers = Providers()
    if settings.uses_emulator:
        log.warning("*** Using the built-in provider EMULATOR: no real phones are touched. ***")
        emulator = build_emulator()
        providers.ringcentral_emulator = emulator
        transports.setdefault(ProviderName.RINGCENTRAL, httpx.ASGITransport(app=emulator))
        providers.ringcentral = _ringcentral(
            settings,
            alert,
            database,
            transports,
            url=EMULATOR_URL,
            client_id="emulator",
            secret=SecretStr("emulator"),
            jwt=SecretStr(EMULATOR_IDENTITY),
            providers=providers,
        )
    elif Provider.RINGCENTRAL in settings.providers:
        assert settings.ringcentral_client_id
        assert settings.ringcentral_client_secret
        assert settings.ringcentral_jwt
        providers.ringcentral = _ringcentral(
            settings,
            alert,
            database,
            transports,
            url=settings.ringcentral_server_url,
            client_id=settings.ringcentral_client_id,
            secret=settings.ringcentral_client_secret,
            jwt=settings.ringcentral_jwt,
            providers=providers,
        )
    return providers


def _ringcentral(
    settings: Settings,
    alert: Alert | None,
    database: Database,
    transports: dict[ProviderName, httpx.AsyncBaseTransport],
    *,
    url: str,
    client_id: str,
    secret: SecretStr,
    jwt: SecretStr,
    providers: Providers,
) -> RingCentralClient:
    client = httpx.AsyncClient(
        base_url=url,
        timeout=timeouts(settings),
        transport=transports.get(ProviderName.RINGCENTRAL),
        headers={"Accept": "application/json", "User-Agent": "switchboard-bot"},
    )
    providers._clients.append(client)
    budget = RateBudget(provider="ringcentral", limits=GROUP_LIMITS, database=database)
    policy = RetryPolicy(
        default_retry_after=TOKEN_RETRY_AFTER_DEFAULT, scale=settings.switchboard_retry_scale
    )
    http = ProviderHttp(client, provider="ringcentral", policy=policy, budget=budget)
    tokens = TokenManager(
        http=http,
        database=database,
        client_id=client_id,
        client_secret=secret,
        jwt=jwt,
        on_rejected=alert,
    )
    return RingCentralClient(http=http, tokens=tokens)
