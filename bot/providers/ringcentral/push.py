"""RingCentral push subscriptions (WebHook): create, renew, read (docs/providers.md §10)."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.calls import CallEvent
from bot.providers.http import Kind
from bot.providers.push import Handshake, Subscription
from bot.providers.ringcentral import notifications
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.models import SubscriptionInfo
from bot.providers.ringcentral.requests import Requests

SUBSCRIPTION = "/restapi/v1.0/subscription"
SESSIONS_FILTER = "/restapi/v1.0/account/~/telephony/sessions"


def _subscription(info: SubscriptionInfo) -> Subscription:
    return Subscription(info.id, info.status == "Active", info.expiration_time)


class Subscriptions:
    """Capability.PUSH on RingCentral (`PushSubscriptions`, bot/providers/push.py)."""

    provider = RINGCENTRAL
    webhook_path = notifications.WEBHOOK_PATH

    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    async def create(self, *, address: str, token: str, expires_in: int) -> Subscription:
        """Account-wide telephony sessions to `address` (RingCentral validates it first)."""
        body = {
            "eventFilters": [SESSIONS_FILTER],
            "deliveryMode": {"transportType": "WebHook", "address": address, "verificationToken": token},
            "expiresIn": expires_in,
        }
        info = await self._requests.call(
            "POST", SUBSCRIPTION, SubscriptionInfo, group="Medium", kind=Kind.CREATE, json=body
        )
        return _subscription(info)

    async def renew(self, subscription_id: str) -> Subscription:
        info = await self._requests.call(
            "POST",
            f"{SUBSCRIPTION}/{subscription_id}/renew",
            SubscriptionInfo,
            group="Light",
            kind=Kind.REPEATABLE,
        )
        return _subscription(info)

    async def read(self, subscription_id: str) -> Subscription:
        info = await self._requests.call(
            "GET", f"{SUBSCRIPTION}/{subscription_id}", SubscriptionInfo, group="Light"
        )
        return _subscription(info)

    def handshake(self, headers: Mapping[str, str]) -> Handshake | None:
        return notifications.handshake(headers)

    def token(self, headers: Mapping[str, str]) -> str | None:
        return notifications.token(headers)

    def events(self, note: object) -> list[CallEvent]:
        return notifications.events(note)
