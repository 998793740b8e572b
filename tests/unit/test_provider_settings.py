"""SWITCHBOARD_PROVIDERS (docs/contract.md's configuration table): `emulator` is a setting that
runs every provider's emulator, not a provider; the providers are the one `ProviderName`."""

from __future__ import annotations

import pytest

from bot.domain.lines import ProviderName
from bot.settings import ConfigError, load_settings

VOIPNOW = {
    "voipnow_url": "https://voip.example.com",
    "voipnow_client_id": "app",
    "voipnow_client_secret": "secret",
}


def test_the_emulator_serves_every_provider() -> None:
    for given in ({"switchboard_providers": "emulator"}, {}):  # named, or nothing configured
        settings = load_settings(_env_file=None, **given)
        assert settings.uses_emulator
        assert settings.providers == tuple(ProviderName)
        assert settings.provider_words == ("emulator",)


def test_credentials_pick_the_real_providers() -> None:
    settings = load_settings(_env_file=None, **VOIPNOW)
    assert not settings.uses_emulator
    assert settings.providers == (ProviderName.VOIPNOW,)
    assert settings.provider_words == ("voipnow",)


def test_a_named_provider_needs_its_credentials_even_beside_the_emulator() -> None:
    with pytest.raises(ConfigError, match="VOIPNOW_URL is required when voipnow is used"):
        load_settings(_env_file=None, switchboard_providers="emulator,voipnow")
    settings = load_settings(_env_file=None, switchboard_providers="Emulator,voipnow", **VOIPNOW)
    assert settings.uses_emulator
    assert settings.providers == tuple(ProviderName)
    assert settings.provider_words == ("emulator", "voipnow")


def test_an_unknown_name_lists_the_accepted_ones() -> None:
    with pytest.raises(ConfigError, match="emulator, ringcentral, smspartner, voipnow"):
        load_settings(_env_file=None, switchboard_providers="acme")


def test_every_provider_has_its_display_name() -> None:
    assert [p.display for p in ProviderName] == ["RingCentral", "VoipNow", "SMSPartner"]
