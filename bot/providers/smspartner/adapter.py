"""SMSPartner in the registry: its declaration, its client and the capabilities it brings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.providers.base import Adapter
from bot.providers.smspartner.client import SmsPartnerClient
from bot.providers.smspartner.declaration import DECLARATION
from bot.providers.smspartner.quick_forward import SmsPartnerQuickForward
from bot.store import Database


def adapter(
    client: SmsPartnerClient,
    database: Database,
    clock: Callable[[], datetime],
    numbers: frozenset[str],
) -> Adapter:
    quick_forward = SmsPartnerQuickForward(client, database, clock)
    return Adapter(DECLARATION, client, quick_forward=quick_forward, virtual_numbers=numbers)
