"""The registry: each provider in use by name, with its declaration, its client and the
capability objects it brings (`Adapter`), built once per process (one httpx client each)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
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
from bot.providers.plugin import Alert, AnyPlugin, Clock, Kit
from bot.providers.push import PushSubscriptions
from bot.providers.quick_forward import QuickForward
from bot.providers.ringcentral.plugin import PLUGIN as RINGCENTRAL
from bot.providers.ringing import RingingCalls
from bot.providers.settings import ConfigError, ProviderSettings
from bot.providers.sign_in import PersonalSignIn, SignInPages
from bot.providers.smspartner.plugin import PLUGIN as SMSPARTNER
from bot.providers.specs import KnownSpecs, LineSpec
from bot.providers.voipnow.plugin import PLUGIN as VOIPNOW
from bot.store import Database
from bot.store.sealed import SecretBox

if TYPE_CHECKING:  # dev tools: imported only when the built-in emulator is in use
    from bot.devkit.in_process import Emulators

log = logging.getLogger(__name__)

# Every provider Switchboard knows, each as its own package builds it (bot/providers/<name>/
# plugin.py; docs/adding-a-provider.md). Adding a provider adds its plug-in here: the
# settings read its section, people may type its lines, the registry builds its adapter.
PLUGINS: tuple[AnyPlugin, ...] = (RINGCENTRAL, VOIPNOW, SMSPARTNER)
BY_NAME: dict[ProviderName, AnyPlugin] = {p.name: p for p in PLUGINS}

DECLARATIONS: dict[ProviderName, Declaration] = {p.name: p.declaration for p in PLUGINS}
# How each provider's lines are typed (`provider:value`); a bare value is an extension of
# the provider with a directory.
SPECS: dict[ProviderName, LineSpec] = {p.name: p.spec for p in PLUGINS}
BARE_SPEC = next(n for n, d in DECLARATIONS.items() if Capability.DIRECTORY in d.capabilities)
KNOWN = Capabilities(DECLARATIONS.values())  # how lines are named, whichever providers run
KNOWN_SPECS = KnownSpecs(SPECS, BARE_SPEC)  # handed to the services reading a typed line


class RegistrySettings(Protocol):
    """What the registry reads of the settings (`bot.settings.Settings` is one): taken as a
    protocol, since `bot.settings` reads each provider's section through the plug-ins listed
    here and the providers package never imports it back (no package cycle)."""

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
    def section(self, name: ProviderName) -> ProviderSettings: ...


CONNECT_TIMEOUT = 5.0


@dataclass
class Providers:
    """Each provider in use, by name (services ask it for a capability, never a name)."""

    adapters: dict[ProviderName, Adapter] = field(default_factory=dict)
    emulators: Emulators | None = None  # dev only: the built-in emulators, when in use
    emulated_numbers: frozenset[str] = frozenset()  # virtual numbers the emulator seeds
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def virtual_numbers(self) -> frozenset[str]:
        """The virtual numbers this deployment manages (each provider's with such lines)."""
        return frozenset().union(*(a.virtual_numbers for a in self.adapters.values()))

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
    def specs(self) -> KnownSpecs:
        """How every known provider's lines are typed (a line may name one not in use)."""
        return KNOWN_SPECS

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
        self.box = SecretBox(settings.switchboard_secret_key)
        self.providers = Providers()

    def emulated(self) -> Providers:
        from bot.devkit import in_process  # only here: production never loads dev tools

        sections = in_process.emulated_settings()
        for plugin in PLUGINS:  # before anything starts: nothing to close on the way out
            if plugin.name not in sections:  # docs/adding-a-provider.md, step 5
                raise ConfigError(
                    f"{plugin.name.display} has no built-in emulator yet: give its settings "
                    "in bot/devkit/in_process.py (emulated_settings) or name the real providers "
                    "in SWITCHBOARD_PROVIDERS"
                )
        apps = in_process.start_emulators(rate_limits=self.settings.switchboard_emulator_rate_limits)
        found = self.providers
        found.emulators = apps
        found.emulated_numbers = frozenset({in_process.VIRTUAL_NUMBER})
        for name, transport in apps.transports().items():
            self.transports.setdefault(name, transport)
        for plugin in PLUGINS:
            self._use(plugin.adapter(sections[plugin.name], self._kit(plugin.name)))
        return found

    def configured(self) -> Providers:
        for plugin in PLUGINS:
            if plugin.name in self.settings.providers:
                section = self.settings.section(plugin.name)
                self._use(plugin.adapter(section, self._kit(plugin.name)))
        return self.providers

    def _use(self, adapter: Adapter) -> None:
        self.providers.adapters[adapter.name] = adapter

    def _kit(self, name: ProviderName) -> Kit:
        def http(base_url: str, *, limits: Mapping[str, int], retry_after: float) -> ProviderHttp:
            return self._http(name, base_url, dict(limits), retry_after)

        return Kit(http=http, database=self.database, box=self.box, clock=self.clock, alert=self.alert)

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
