"""Capability.PUSH: a push subscription delivering a provider's call events to our webhook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.lines import ProviderName


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    active: bool
    expires_at: datetime


class PushSubscriptions(Protocol):
    provider: ProviderName  # whose events (the subscription's row in the store)

    async def create(self, *, address: str, token: str, expires_in: int) -> Subscription:
        """Deliver to `address` with `token` in every notification (sent once)."""
        ...

    async def renew(self, subscription_id: str) -> Subscription: ...

    async def read(self, subscription_id: str) -> Subscription: ...
