"""SWITCHBOARD_PROVIDERS=ringcentral pointed at the emulator as if it were the platform."""

from __future__ import annotations

import secrets

import pytest

from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.harness import Harness, start_configured, user_id


async def configured(sqlite_url: str, url: str, jwt: str) -> Harness:
    return await start_configured(sqlite_url, url, client_id="client-" + secrets.token_hex(3), jwt=jwt)


async def test_real_configuration_links_people_through_the_platform(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    bot = await configured(sqlite_url, url, "admin@example.com")
    try:
        reply = await bot.command("bob", "/switchboard", "whoami")
        assert "RingCentral extension `103`" in reply.text
        assert (await bot.http.get(f"{bot.url}/readyz")).status_code == 200
        assert app.emulator_state.jwt_logins == 1
    finally:
        await bot.close()


async def test_rejected_credentials_fail_readiness_and_alert_admins_once(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    bot = await configured(sqlite_url, url, "not-a-user@example.com")
    try:
        ready = await bot.http.get(f"{bot.url}/readyz")
        assert ready.status_code == 503
        assert "ringcentral" in ready.json()["failing"]
        alerts = bot.slack.of("chat.postMessage")
        reply = await bot.command("bob", "/switchboard", "whoami")
        assert "can't sign in to RingCentral" in reply.text
        alerts += [c for c in reply.calls if c.method == "chat.postMessage"]
        assert [a.args["channel"] for a in alerts] == [user_id("admin")]
        assert "credentials were rejected" in alerts[0].args["text"]
        assert app.faults.count("POST", "/oauth/token") == 1  # no hammering the token endpoint
    finally:
        await bot.close()


async def test_check_warns_when_real_providers_store_tokens_unencrypted(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.check import run_checks

    _, url = platform
    for key, warned in ((None, True), ("k" * 40, False)):
        bot = await start_configured(
            sqlite_url, url, client_id="c-" + secrets.token_hex(3), switchboard_secret_key=key
        )
        try:
            await run_checks(bot.settings, runtime=bot.runtime)
        finally:
            await bot.close()
        printed = capsys.readouterr().out
        assert ("warn  secrets at rest: SWITCHBOARD_SECRET_KEY is not set" in printed) == warned
