"""VoipNow in the registry: its declaration, its client and the capabilities it brings."""

from __future__ import annotations

from bot.providers.base import Adapter
from bot.providers.voipnow.client import VoipNowClient
from bot.providers.voipnow.declaration import DECLARATION
from bot.providers.voipnow.live_calls import VoipNowLiveCalls


def adapter(client: VoipNowClient) -> Adapter:
    return Adapter(DECLARATION, client, live_calls=VoipNowLiveCalls(client))
