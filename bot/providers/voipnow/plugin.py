"""VoipNow as a plug-in (bot/providers/plugin.py): its client built from its settings."""

from __future__ import annotations

from bot.providers.base import Adapter
from bot.providers.http import RetryPolicy
from bot.providers.plugin import Kit, Plugin
from bot.providers.voipnow.adapter import adapter
from bot.providers.voipnow.client import VoipNowClient
from bot.providers.voipnow.declaration import DECLARATION
from bot.providers.voipnow.settings import VoipNowSettings
from bot.providers.voipnow.specs import VoipNowSpec


def build(settings: VoipNowSettings, kit: Kit) -> Adapter:
    url, client_id, secret = settings.app
    http = kit.http(url, limits={}, retry_after=RetryPolicy.default_retry_after)
    return adapter(VoipNowClient(http=http, client_id=client_id, client_secret=secret, base_url=url))


PLUGIN = Plugin(DECLARATION, VoipNowSpec(), VoipNowSettings, build)
