"""RingCentral in the registry: its declaration, its client and the capabilities it brings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.providers.base import Adapter
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.declaration import DECLARATION
from bot.providers.ringcentral.live_calls import RingCentralLiveCalls
from bot.providers.ringcentral.numbers import RingCentralNumbers
from bot.providers.ringcentral.quick_forward import RingCentralQuickForward
from bot.providers.ringcentral.sign_ins import PAGES


def adapter(client: RingCentralClient, clock: Callable[[], datetime]) -> Adapter:
    return Adapter(
        DECLARATION,
        client,
        directory=client,
        live_calls=RingCentralLiveCalls(client),
        forwarding=RingCentralNumbers(client),
        quick_forward=RingCentralQuickForward(client, clock),
        push=client.subscriptions,
        ringing=client.ringing,
        sign_in=client.sign_ins,
        sign_in_pages=PAGES,
    )
