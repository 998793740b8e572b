"""Capability.PUSH: a push subscription delivering a provider's call events to our webhook.

The provider's package owns everything about its deliveries: the path they come to (part of
docs/contract.md), its address check, where a notification carries the subscription's token,
and its notification format, turned into provider-neutral `CallEvent`s (bot/domain/calls.py).
The web front serves the path and the call cards read the events; neither knows the provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.domain.calls import CallEvent
from bot.domain.lines import ProviderName


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    active: bool
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Handshake:
    """The provider checking our webhook's address: answered at once, nothing else done."""

    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None
    status: int = 200


class PushSubscriptions(Protocol):
    provider: ProviderName  # whose events (the subscription's row in the store)
    webhook_path: str  # where its deliveries come (our URL path, under the public URL)

    async def create(self, *, address: str, token: str, expires_in: int) -> Subscription:
        """Deliver to `address` with `token` in every notification (sent once)."""
        ...

    async def renew(self, subscription_id: str) -> Subscription: ...

    async def read(self, subscription_id: str) -> Subscription: ...

    def handshake(self, headers: Mapping[str, str]) -> Handshake | None:
        """A delivery that is the provider checking the address: its answer; else None."""
        ...

    def token(self, headers: Mapping[str, str]) -> str | None:
        """The token a notification carries (the one given to `create`), if any."""
        ...

    def events(self, note: object) -> list[CallEvent]:
        """A notification (parsed JSON) as the call events it reports, in its order."""
        ...
