"""The built-in `emulator` provider: all three emulators in this process, behind ASGI transports."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.devkit.ringcentral import build_emulator as build_rc_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.smspartner import SmsPartnerEmulator
from bot.devkit.smspartner import build_emulator as build_sp_emulator
from bot.devkit.smspartner.app import API_KEY, TEAM_NUMBER
from bot.devkit.voipnow import VoipNowEmulator
from bot.devkit.voipnow import build_emulator as build_vn_emulator
from bot.providers.base import ProviderName

URLS = {
    ProviderName.RINGCENTRAL: "http://ringcentral.emulator",
    ProviderName.VOIPNOW: "http://voipnow.emulator",
    ProviderName.SMSPARTNER: "http://smspartner.emulator",
}
SMSPARTNER_KEY = API_KEY
VIRTUAL_NUMBER = TEAM_NUMBER  # the seeded company's team number on SMSPartner


@dataclass(frozen=True)
class Emulators:
    ringcentral: RingCentralEmulator
    voipnow: VoipNowEmulator
    smspartner: SmsPartnerEmulator

    def transports(self) -> dict[ProviderName, httpx.AsyncBaseTransport]:
        return {
            ProviderName.RINGCENTRAL: httpx.ASGITransport(app=self.ringcentral),
            ProviderName.VOIPNOW: httpx.ASGITransport(app=self.voipnow),
            ProviderName.SMSPARTNER: httpx.ASGITransport(app=self.smspartner),
        }


def start_emulators(*, rate_limits: bool = False) -> Emulators:
    return Emulators(
        build_rc_emulator(rate_limits=rate_limits), build_vn_emulator(), build_sp_emulator()
    )
