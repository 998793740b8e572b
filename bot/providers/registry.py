"""The registry: each provider in use by name, with its declaration, its client and the
capability objects it brings (`Adapter`), built once per process (one httpx client each)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import httpx
from pydantic import SecretStr

from bot.domain.capabilities import Capabilities, Capability, Declaration
from bot.domain.clock import now
from bot.providers.base import Adapter, Directory, Probe, ProviderName
from bot.providers.calls import LiveCalls
from bot.providers.forwarding import ForwardingNumbers
from bot.providers.http import ProviderHttp, RetryPolicy
from bot.providers.limiter import RateLimiter
from bot.providers.push import PushSubscriptions
from bot.providers.quick_forward import QuickForward
from bot.providers.ringcentral import adapter as ringcentral_adapter
from bot.providers.ringcentral import declaration as ringcentral
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.client import GROUP_LIMITS, RingCentralClient
from bot.providers.ringcentral.sign_ins import SignIns
from bot.providers.ringcentral.specs import RingCentralSpec
from bot.providers.ringing import RingingCalls
from bot.providers.sign_in import PersonalSignIn, SignInPages
from bot.providers.smspartner import adapter as smspartner_adapter
from bot.providers.smspartner import declaration as smspartner
from bot.providers.smspartner.client import SmsPartnerClient
from bot.providers.smspartner.specs import SmsPartnerSpec
from bot.providers.specs import LineSpec, LineTyping
from bot.providers.voipnow import adapter as voipnow_adapter
from bot.providers.voipnow import declaration as voipnow
from bot.providers.voipnow.client import VoipNowClient
from bot.providers.voipnow.specs import VoipNowSpec
from bot.store import Database
from bot.store.sealed import SecretBox

if TYPE_CHECKING:  # dev tools: imported only when the built-in emulator is in use
    from bot.devkit.in_process import Emulators

log = logging.getLogger(__name__)

# Every provider Switchboard knows, as its own package declares it (docs/adding-a-provider.md).
DECLARATIONS: dict[ProviderName, Declaration] = {
    d.name: d for d in (ringcentral.DECLARATION, voipnow.DECLARATION, smspartner.DECLARATION)
}
# How each provider's lines are typed (`provider:value`); a bare value is an extension of
# the provider with a directory.
SPECS: dict[ProviderName, LineSpec] = {
    ProviderName.RINGCENTRAL: RingCentralSpec(),
    ProviderName.VOIPNOW: VoipNowSpec(),
    ProviderName.SMSPARTNER: SmsPartnerSpec(),
}
BARE_SPEC = next(n for n, d in DECLARATIONS.items() if Capability.DIRECTORY in d.capabilities)
KNOWN = Capabilities(DECLARATIONS.values())  # how lines are named, whichever providers run


def line_typing(in_use: Iterable[ProviderName]) -> LineTyping:
    """The help for typing a line, in the words of the providers in use."""
    used = set(in_use)
    return LineTyping(tuple(spec.usage for name, spec in SPECS.items() if name in used))


Alert = Callable[[str], Awaitable[None]]  # tells admins about a configuration problem
Clock = Callable[[], datetime]

CONNECT_TIMEOUT = 5.0


class RegistrySettings(Protocol):
    """What the registry reads of the settings (`bot.settings.Settings` is one): taken as a
    protocol, since `bot.settings` gathers each provider's own settings from bot/providers
    and the providers package never imports it back (no package cycle)."""

    @property
    def providers(self) -> tuple[ProviderName, ...]: ...
    @property
    def uses_emulator(self) -> bool: ...
    @property
    def provider_timeout_seconds(self) -> float: ...
    @property
    def switchboard_secret_key(self) -> SecretStr | None: ...
    @property
    def switchboard_person_share(self) -> float: ...
    @property
    def switchboard_retry_scale(self) -> float: ...
    @property
    def switchboard_rate_budget(self) -> bool: ...
    @property
    def switchboard_emulator_rate_limits(self) -> bool: ...
    @property
    def ringcentral_server_url(self) -> str: ...
    @property
    def ringcentral_client_id(self) -> str | None: ...
    @property
    def ringcentral_client_secret(self) -> SecretStr | None: ...
    @property
    def ringcentral_jwt(self) -> SecretStr | None: ...
    @property
    def signin_app(self) -> tuple[str, SecretStr] | None: ...
    @property
    def voipnow_url(self) -> str | None: ...
    @property
    def voipnow_client_id(self) -> str | None: ...
    @property
    def voipnow_client_secret(self) -> SecretStr | None: ...
    @property
    def smspartner_url(self) -> str: ...
    @property
    def smspartner_numbers(self) -> list[str]: ...
    @property
    def smspartner_api_key(self) -> SecretStr | None: ...


RINGCENTRAL_RETRY_AFTER_DEFAULT = 60.0  # docs/design.md: RingCentral's Retry-After default; others 30 s
EMULATOR_IDENTITY = "admin@example.com"  # the emulator's JWT assertion: the account admin
# The built-in emulator's personal sign-in app: an app of its own, since RingCentral (and the
# emulator) fix a client id to one auth flow.
EMULATOR_SIGNIN_APP = ("emulator-signin", SecretStr("emulator"))


@dataclass
class Providers:
    """Each provider in use, by name (services ask it for a capability, never a name)."""

    adapters: dict[ProviderName, Adapter] = field(default_factory=dict)
    emulators: Emulators | None = None  # dev only: the built-in emulators, when in use
    emulated_numbers: frozenset[str] = frozenset()  # virtual numbers the emulator seeds
    # the virtual numbers this deployment manages (SMSPARTNER_NUMBERS, and the emulator's)
    virtual_numbers: frozenset[str] = frozenset()
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def directory(self) -> Directory | None:
        """Capability.DIRECTORY: the directory people are linked through by email."""
        return next((a.directory for a in self.adapters.values() if a.directory), None)

    @property
    def live_calls(self) -> dict[ProviderName, LiveCalls]:
        """Capability.CALL_CONTROL of each provider in use that brings it."""
        return {n: a.live_calls for n, a in self.adapters.items() if a.live_calls is not None}

    @property
    def forwarding(self) -> dict[ProviderName, ForwardingNumbers]:
        """Capability.FORWARDING_NUMBERS of each provider in use that brings it."""
        return {n: a.forwarding for n, a in self.adapters.items() if a.forwarding is not None}

    @property
    def quick_forward(self) -> dict[ProviderName, QuickForward]:
        """Capability.QUICK_FORWARD of each provider in use that brings it."""
        adapters = self.adapters.items()
        return {n: a.quick_forward for n, a in adapters if a.quick_forward is not None}

    @property
    def push(self) -> PushSubscriptions | None:
        """Capability.PUSH: the one push subscription the deployment keeps."""
        return next((a.push for a in self.adapters.values() if a.push), None)

    @property
    def ringing(self) -> RingingCalls | None:
        """Capability.PRE_CALL_CONTROL of the provider whose calls are pushed."""
        return next((a.ringing for a in self.adapters.values() if a.push and a.ringing), None)

    @property
    def sign_in(self) -> PersonalSignIn | None:
        """Capability.PERSONAL_SIGN_IN, when its sign-in app is set."""
        return next((a.sign_in for a in self.adapters.values() if a.sign_in), None)

    @property
    def sign_in_pages(self) -> SignInPages | None:
        """Where the personal sign-in's pages are served (its provider's, app set or not)."""
        adapters = sorted(self.adapters.values(), key=lambda a: a.sign_in is None)
        return next((a.sign_in_pages for a in adapters if a.sign_in_pages), None)

    @property
    def capabilities(self) -> Capabilities:
        """What the lines of the providers in use can do (services ask this, never a name)."""
        return Capabilities(DECLARATIONS.values(), in_use=self.adapters)

    @property
    def probes(self) -> list[Probe]:
        """Every configured client, for /readyz and `switchboard check`."""
        return [a.client for a in self.adapters.values()]

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()


def timeouts(settings: RegistrySettings) -> httpx.Timeout:
    read = settings.provider_timeout_seconds
    return httpx.Timeout(connect=CONNECT_TIMEOUT, read=read, write=read, pool=CONNECT_TIMEOUT)


def build_providers(
    settings: RegistrySettings,
    database: Database,
    *,
    transports: dict[ProviderName, httpx.AsyncBaseTransport] | None = None,
    alert: Alert | None = None,
    clock: Clock = now,
) -> Providers:
    """Clients for every provider in SWITCHBOARD_PROVIDERS; `emulator` runs them in-process."""
    builder = _Builder(settings, database, dict(transports or {}), alert, clock)
    if settings.uses_emulator:
        log.warning("*** Using the built-in provider EMULATOR: no real phones are touched. ***")
        return builder.emulated()
    return builder.configured()


class _Builder:
    def __init__(
        self,
        settings: RegistrySettings,
        database: Database,
        transports: dict[ProviderName, httpx.AsyncBaseTransport],
        alert: Alert | None,
        clock: Clock,
    ) -> None:
        self.settings = settings
        self.database = database
        self.transports = transports
        self.alert = alert
        self.clock = clock
        self.providers = Providers(virtual_numbers=frozenset(settings.smspartner_numbers))

    def emulated(self) -> Providers:
        from bot.devkit import in_process  # only here: production never loads dev tools

        apps = in_process.start_emulators(rate_limits=self.settings.switchboard_emulator_rate_limits)
        found = self.providers
        found.emulators = apps
        found.emulated_numbers = frozenset({in_process.VIRTUAL_NUMBER})
        found.virtual_numbers |= found.emulated_numbers
        for name, transport in apps.transports().items():
            self.transports.setdefault(name, transport)
        urls = in_process.URLS
        rc = self._ringcentral(
            urls[ProviderName.RINGCENTRAL],
            "emulator",
            SecretStr("emulator"),
            SecretStr(EMULATOR_IDENTITY),
            EMULATOR_SIGNIN_APP,
        )
        vn = self._voipnow(urls[ProviderName.VOIPNOW], "emulator", SecretStr("emulator"))
        sp = self._smspartner(urls[ProviderName.SMSPARTNER], SecretStr(in_process.SMSPARTNER_KEY))
        self._use(ringcentral_adapter.adapter(rc, self.clock))
        self._use(voipnow_adapter.adapter(vn))
        self._use(smspartner_adapter.adapter(sp, self.database, self.clock))
        return found

    def configured(self) -> Providers:
        s = self.settings
        if ProviderName.RINGCENTRAL in s.providers:
            assert s.ringcentral_client_id
            assert s.ringcentral_client_secret
            assert s.ringcentral_jwt
            rc = self._ringcentral(
                s.ringcentral_server_url,
                s.ringcentral_client_id,
                s.ringcentral_client_secret,
                s.ringcentral_jwt,
                s.signin_app,
            )
            self._use(ringcentral_adapter.adapter(rc, self.clock))
        if ProviderName.VOIPNOW in s.providers:
            assert s.voipnow_url
            assert s.voipnow_client_id
            assert s.voipnow_client_secret
            vn = self._voipnow(s.voipnow_url, s.voipnow_client_id, s.voipnow_client_secret)
            self._use(voipnow_adapter.adapter(vn))
        if ProviderName.SMSPARTNER in s.providers:
            assert s.smspartner_api_key
            sp = self._smspartner(s.smspartner_url, s.smspartner_api_key)
            self._use(smspartner_adapter.adapter(sp, self.database, self.clock))
        return self.providers

    def _use(self, adapter: Adapter) -> None:
        self.providers.adapters[adapter.name] = adapter

    def _http(
        self, name: ProviderName, url: str, limits: dict[str, int], retry_after: float
    ) -> ProviderHttp:
        client = httpx.AsyncClient(
            base_url=url,
            timeout=timeouts(self.settings),
            transport=self.transports.get(name),
            headers={"Accept": "application/json", "User-Agent": "switchboard-bot"},
        )
        self.providers._clients.append(client)
        policy = RetryPolicy(
            default_retry_after=retry_after, scale=self.settings.switchboard_retry_scale
        )
        limiter = RateLimiter(
            provider=name,
            limits=limits,
            database=self.database,
            enabled=self.settings.switchboard_rate_budget,
            person_wait=policy.max_hold_wait,
            person_share=self.settings.switchboard_person_share,
        )
        return ProviderHttp(client, provider=name, policy=policy, limiter=limiter)

    def _ringcentral(
        self,
        url: str,
        client_id: str,
        secret: SecretStr,
        jwt: SecretStr,
        signin_app: tuple[str, SecretStr] | None,
    ) -> RingCentralClient:
        http = self._http(ProviderName.RINGCENTRAL, url, GROUP_LIMITS, RINGCENTRAL_RETRY_AFTER_DEFAULT)
        box = SecretBox(self.settings.switchboard_secret_key)
        tokens = TokenManager(
            http=http,
            database=self.database,
            client_id=client_id,
            client_secret=secret,
            jwt=jwt,
            on_rejected=self.alert,
            box=box,
        )
        sign_ins = None
        if signin_app is not None:  # personal sign-ins run on their own app (authorization code)
            sign_ins = SignIns(
                http=http,
                database=self.database,
                server_url=url,
                client_id=signin_app[0],
                client_secret=signin_app[1],
                box=box,
            )
        return RingCentralClient(http=http, tokens=tokens, sign_ins=sign_ins)

    def _voipnow(self, url: str, client_id: str, secret: SecretStr) -> VoipNowClient:
        http = self._http(ProviderName.VOIPNOW, url, {}, RetryPolicy.default_retry_after)
        return VoipNowClient(http=http, client_id=client_id, client_secret=secret, base_url=url)

    def _smspartner(self, url: str, api_key: SecretStr) -> SmsPartnerClient:
        http = self._http(ProviderName.SMSPARTNER, url, {}, RetryPolicy.default_retry_after)
        return SmsPartnerClient(http=http, api_key=api_key, alert=self.alert)
