"""RingCentral push subscriptions (WebHook): create, renew, read (docs/providers.md §10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.lines import ProviderName
from bot.providers.http import Kind
from bot.providers.push import Subscription
from bot.providers.ringcentral.models import SubscriptionInfo

if TYPE_CHECKING:
    from bot.providers.ringcentral.client import RingCentralClient

SUBSCRIPTION = "/restapi/v1.0/subscription"
SESSIONS_FILTER = "/restapi/v1.0/account/~/telephony/sessions"


def _subscription(info: SubscriptionInfo) -> Subscription:
    return Subscription(info.id, info.status == "Active", info.expiration_time)


class Subscriptions:
    """Capability.PUSH on RingCentral (`PushSubscriptions`, bot/providers/push.py)."""

    provider = ProviderName.RINGCENTRAL

    def __init__(self, client: RingCentralClient) -> None:
        self._client = client

    async def create(self, *, address: str, token: str, expires_in: int) -> Subscription:
        """Account-wide telephony sessions to `address` (RingCentral validates it first)."""
        body = {
            "eventFilters": [SESSIONS_FILTER],
            "deliveryMode": {"transportType": "WebHook", "address": address, "verificationToken": token},
            "expiresIn": expires_in,
        }
        info = await self._client.call(
            "POST", SUBSCRIPTION, SubscriptionInfo, group="Medium", kind=Kind.CREATE, json=body
        )
        return _subscription(info)

    async def renew(self, subscription_id: str) -> Subscription:
        info = await self._client.call(
            "POST",
            f"{SUBSCRIPTION}/{subscription_id}/renew",
            SubscriptionInfo,
            group="Light",
            kind=Kind.REPEATABLE,
        )
        return _subscription(info)

    async def read(self, subscription_id: str) -> Subscription:
        info = await self._client.call(
            "GET", f"{SUBSCRIPTION}/{subscription_id}", SubscriptionInfo, group="Light"
        )
        return _subscription(info)
