"""A provider as one plug-in: what its own package hands the registry (docs/adding-a-provider.md).

Each provider's package (`bot/providers/<name>/plugin.py`) builds one `Plugin`: its declaration
(its name and what its lines can do), how its lines are typed, its settings and how its adapter
is built from them. The registry lists the plug-ins; `bot.settings` reads each one's settings
from the environment and the registry builds the adapters of those in use, so nothing outside
the provider's package, the registry and its emulator changes when a provider is added.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from bot.domain.capabilities import Declaration
from bot.domain.lines import ProviderName
from bot.providers.base import Adapter
from bot.providers.http import ProviderHttp
from bot.providers.settings import ProviderSettings
from bot.providers.specs import LineSpec
from bot.store import Database
from bot.store.sealed import SecretBox

Alert = Callable[[str], Awaitable[None]]  # tells admins about a configuration problem
Clock = Callable[[], datetime]
Section = TypeVar("Section", bound=ProviderSettings)


class HttpFactory(Protocol):
    """The registry's sender for one provider: its httpx client (the emulator's transport when
    emulated), docs/design.md's retry policy and its shared rate limiter."""

    def __call__(
        self, base_url: str, *, limits: Mapping[str, int], retry_after: float
    ) -> ProviderHttp: ...


@dataclass(frozen=True, slots=True)
class Kit:
    """What the registry hands a provider's package to build its adapter."""

    http: HttpFactory
    database: Database
    box: SecretBox  # seals what the provider keeps in the store (tokens)
    clock: Clock
    alert: Alert | None


@dataclass(frozen=True, slots=True)
class Plugin(Generic[Section]):
    """One provider: its declaration, how its lines are typed, its settings and its builder."""

    declaration: Declaration
    spec: LineSpec
    settings: type[Section]
    build: Callable[[Section, Kit], Adapter]

    @property
    def name(self) -> ProviderName:
        return self.declaration.name

    def adapter(self, settings: ProviderSettings, kit: Kit) -> Adapter:
        """Its adapter from its settings section (read from the environment, or the emulator's)."""
        if not isinstance(settings, self.settings):
            raise TypeError(
                f"{self.name.value} needs {self.settings.__name__}, not {type(settings).__name__}"
            )
        return self.build(settings, kit)


AnyPlugin = Plugin[Any]
