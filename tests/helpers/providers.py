"""Tests reach a provider's own client or emulator through the registry (it names none)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.devkit.in_process import Emulators
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.smspartner.client import SmsPartnerClient
from bot.providers.smspartner.declaration import SMSPARTNER

if TYPE_CHECKING:
    from bot.runtime import Runtime


def emulators(runtime: Runtime) -> Emulators:
    """The built-in emulators the runtime's providers talk to."""
    found = runtime.providers.emulators
    assert found is not None
    return found


def ringcentral_client(runtime: Runtime) -> RingCentralClient:
    client = runtime.providers.adapters[RINGCENTRAL].client
    assert isinstance(client, RingCentralClient)
    return client


def smspartner_client(runtime: Runtime) -> SmsPartnerClient:
    client = runtime.providers.adapters[SMSPARTNER].client
    assert isinstance(client, SmsPartnerClient)
    return client
