"""SWITCHBOARD_PROVIDERS (docs/contract.md's configuration table): `emulator` is a setting that
runs every provider's emulator, not a provider; the providers are the registry's plug-ins."""

from __future__ import annotations

import pytest

from bot.domain.lines import ProviderName
from bot.providers.registry import PLUGINS
from bot.providers.voipnow.declaration import VOIPNOW
from bot.settings import ConfigError, load_settings

VOIPNOW_APP = {
    "voipnow_url": "https://voip.example.com",
    "voipnow_client_id": "app",
    "voipnow_client_secret": "secret",
}
EVERY = tuple(p.name for p in PLUGINS)


def test_the_emulator_serves_every_provider() -> None:
    for given in ({"switchboard_providers": "emulator"}, {}):  # named, or nothing configured
        settings = load_settings(_env_file=None, **given)
        assert settings.uses_emulator
        assert settings.providers == EVERY
        assert settings.provider_words == ("emulator",)


def test_credentials_pick_the_real_providers() -> None:
    settings = load_settings(_env_file=None, **VOIPNOW_APP)
    assert not settings.uses_emulator
    assert settings.providers == (VOIPNOW,)
    assert settings.provider_words == ("voipnow",)


def test_a_named_provider_needs_its_credentials_even_beside_the_emulator() -> None:
    with pytest.raises(ConfigError, match="VOIPNOW_URL is required when voipnow is used"):
        load_settings(_env_file=None, switchboard_providers="emulator,voipnow")
    settings = load_settings(_env_file=None, switchboard_providers="Emulator,voipnow", **VOIPNOW_APP)
    assert settings.uses_emulator
    assert settings.providers == EVERY
    assert settings.provider_words == ("emulator", "voipnow")


# A name no provider will ever have (a test adding a provider names it `acme`).
UNKNOWN = "nosuchprovider"


def test_an_unknown_name_lists_the_accepted_ones() -> None:
    accepted = ", ".join(sorted([*(p.name.value for p in PLUGINS), "emulator"]))
    with pytest.raises(ConfigError, match=accepted):
        load_settings(_env_file=None, switchboard_providers=UNKNOWN)


def test_every_provider_has_its_display_name() -> None:
    shown = {p.display for p in EVERY}
    assert {"RingCentral", "VoipNow", "SMSPartner"} <= shown
    assert set(ProviderName.declared()) == set(EVERY)  # each package declared its own, once


def test_a_name_no_package_declared_is_refused() -> None:
    with pytest.raises(ValueError, match="not a provider's name"):
        ProviderName(UNKNOWN)
    with pytest.raises(ValueError, match="already declared"):
        ProviderName.declare("voipnow", "Voip Now")
    assert ProviderName.declare("voipnow", "VoipNow") == VOIPNOW  # the same again is the same
    assert repr(VOIPNOW) == "ProviderName('voipnow')"
    assert f"{VOIPNOW}:12" == "voipnow:12"


def test_each_provider_reads_its_own_section() -> None:
    settings = load_settings(_env_file=None, **VOIPNOW_APP)
    section = settings.section(VOIPNOW)
    assert type(section).__mro__[1].__name__ == "VoipNowSettings"
    assert section.given() == ["voipnow_url", "voipnow_client_id", "voipnow_client_secret"]
    assert "secret" in settings.secret_values()  # its secrets are redacted from the logs


def test_switchboard_emulator_names_the_emulators_there_are(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.devkit.emulator_cli import EMULATORS, serve_emulator

    assert set(EMULATORS) == {p.name.value for p in PLUGINS}  # one emulator per provider
    with pytest.raises(SystemExit) as stopped:
        serve_emulator(UNKNOWN, host="127.0.0.1", port=0, latency="0s", faults=[])
    assert stopped.value.code == 2  # a usage error
    said = capsys.readouterr().err
    assert f"no '{UNKNOWN}' emulator; choose ringcentral, voipnow" in said
