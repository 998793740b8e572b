"""SMSPartner as a plug-in (bot/providers/plugin.py): its client built from its settings."""

from __future__ import annotations

from bot.providers.base import Adapter
from bot.providers.http import RetryPolicy
from bot.providers.plugin import Kit, Plugin
from bot.providers.smspartner.adapter import adapter
from bot.providers.smspartner.client import SmsPartnerClient
from bot.providers.smspartner.declaration import DECLARATION
from bot.providers.smspartner.settings import SmsPartnerSettings
from bot.providers.smspartner.specs import SmsPartnerSpec


def build(settings: SmsPartnerSettings, kit: Kit) -> Adapter:
    """Its client, and the virtual numbers this deployment manages (SMSPARTNER_NUMBERS)."""
    http = kit.http(settings.smspartner_url, limits={}, retry_after=RetryPolicy.default_retry_after)
    client = SmsPartnerClient(http=http, api_key=settings.api_key, alert=kit.alert)
    numbers = frozenset(settings.smspartner_numbers)
    return adapter(client, kit.database, kit.clock, numbers)


PLUGIN = Plugin(DECLARATION, SmsPartnerSpec(), SmsPartnerSettings, build)
