"""The built-in `emulator` provider: all three emulators in this process, behind ASGI transports."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from bot.devkit.ringcentral import build_emulator as build_rc_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.smspartner import SmsPartnerEmulator
from bot.devkit.smspartner import build_emulator as build_sp_emulator
from bot.devkit.smspartner.app import API_KEY, TEAM_NUMBER
from bot.devkit.voipnow import VoipNowEmulator
from bot.devkit.voipnow import build_emulator as build_vn_emulator
from bot.providers.base import ProviderName
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.settings import RingCentralSettings
from bot.providers.settings import ProviderSettings
from bot.providers.smspartner.declaration import SMSPARTNER
from bot.providers.smspartner.settings import SmsPartnerSettings
from bot.providers.voipnow.declaration import VOIPNOW
from bot.providers.voipnow.settings import VoipNowSettings

URLS = {
    RINGCENTRAL: "http://ringcentral.emulator",
    VOIPNOW: "http://voipnow.emulator",
    SMSPARTNER: "http://smspartner.emulator",
}
SMSPARTNER_KEY = API_KEY
VIRTUAL_NUMBER = TEAM_NUMBER  # the seeded company's team number on SMSPartner
EMULATOR_IDENTITY = "admin@example.com"  # the emulator's JWT assertion: the account admin


def emulated_settings() -> dict[ProviderName, ProviderSettings]:
    """Each provider's settings section as the emulators take them (nothing read from the
    environment): their URLs, and credentials each emulator accepts."""
    return {
        RINGCENTRAL: RingCentralSettings(
            ringcentral_server_url=URLS[RINGCENTRAL],
            ringcentral_client_id="emulator",
            ringcentral_client_secret=SecretStr("emulator"),
            ringcentral_jwt=SecretStr(EMULATOR_IDENTITY),
            # personal sign-ins on an app of their own: RingCentral (and the emulator) fix a
            # client id to one auth flow
            ringcentral_signin_client_id="emulator-signin",
            ringcentral_signin_client_secret=SecretStr("emulator"),
        ),
        VOIPNOW: VoipNowSettings(
            voipnow_url=URLS[VOIPNOW],
            voipnow_client_id="emulator",
            voipnow_client_secret=SecretStr("emulator"),
        ),
        SMSPARTNER: SmsPartnerSettings(
            smspartner_url=URLS[SMSPARTNER],
            smspartner_api_key=SecretStr(SMSPARTNER_KEY),
            smspartner_numbers=[VIRTUAL_NUMBER],
        ),
    }


@dataclass(frozen=True)
class Emulators:
    ringcentral: RingCentralEmulator
    voipnow: VoipNowEmulator
    smspartner: SmsPartnerEmulator

    def transports(self) -> dict[ProviderName, httpx.AsyncBaseTransport]:
        return {
            RINGCENTRAL: httpx.ASGITransport(app=self.ringcentral),
            VOIPNOW: httpx.ASGITransport(app=self.voipnow),
            SMSPARTNER: httpx.ASGITransport(app=self.smspartner),
        }


def start_emulators(*, rate_limits: bool = False) -> Emulators:
    return Emulators(
        build_rc_emulator(rate_limits=rate_limits), build_vn_emulator(), build_sp_emulator()
    )
