"""The VoipNow client against its emulator: token, calls, transfer guard rails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.devkit.voipnow import VoipNowEmulator, build_emulator
from bot.providers.errors import AuthError, NotFound, Rejected, Unavailable
from bot.providers.http import ProviderHttp, RetryPolicy
from bot.providers.limiter import RateLimiter
from bot.providers.voipnow.client import VoipNowClient
from bot.providers.voipnow.declaration import VOIPNOW

CALL = "b817d2618fe6f1804333"


@pytest.fixture
async def wired() -> AsyncIterator[tuple[VoipNowClient, VoipNowEmulator]]:
    app = build_emulator()
    client = httpx.AsyncClient(base_url="http://vn.test", transport=httpx.ASGITransport(app=app))
    limiter = RateLimiter(provider=VOIPNOW, limits={}, database=None)
    http = ProviderHttp(client, provider=VOIPNOW, policy=RetryPolicy(scale=0.01), limiter=limiter)
    yield (
        VoipNowClient(
            http=http, client_id="id", client_secret=SecretStr("secret"), base_url="http://vn.test"
        ),
        app,
    )
    await client.aclose()


async def test_one_token_for_many_concurrent_calls(wired: tuple[VoipNowClient, VoipNowEmulator]) -> None:
    client, app = wired
    results = await asyncio.gather(*(client.phone_calls("12", "0003*210") for _ in range(20)))
    assert all(len(calls) == 1 for calls in results)
    assert app.emulator_state.token_grants == 1
    view = results[0][0].view_of("0003*210")
    assert view is not None
    assert view.status == 5
    assert view.source == ["+13235550142"]


async def test_expired_token_is_asked_for_again_once(
    wired: tuple[VoipNowClient, VoipNowEmulator],
) -> None:
    client, app = wired
    await client.phone_calls("12", "0003*210")
    app.emulator_state.tokens.clear()
    await client.phone_calls("12", "0003*210")
    assert app.emulator_state.token_grants == 2


async def test_a_transfer_without_a_call_id_is_never_sent(
    wired: tuple[VoipNowClient, VoipNowEmulator],
) -> None:
    client, app = wired
    with pytest.raises(ValueError, match="without a call id"):
        await client.transfer(
            "12", "0003*210", " ", send_to="0003*024", from_number="0003*210", moved="+13235550142"
        )
    assert app.faults.count("PUT") == 0
    assert len(app.emulator_state.calls) == 1


async def test_transfer_is_accepted_then_the_call_is_gone(
    wired: tuple[VoipNowClient, VoipNowEmulator],
) -> None:
    client, _app = wired
    await client.transfer(
        "12", "0003*210", CALL, send_to="+14155550100", from_number="0003*210", moved="+13235550142"
    )
    assert await client.phone_calls("12", "0003*210") == []
    with pytest.raises(NotFound):  # pc_phoncall_invalid: the call has ended
        await client.to_voicemail("12", "0003*210", CALL, mailbox="0003*210", moved="+13235550142")


async def test_a_5xx_on_transfer_is_not_resent(wired: tuple[VoipNowClient, VoipNowEmulator]) -> None:
    client, app = wired
    app.faults.add("PUT /uapi/phoneCalls=500")
    with pytest.raises(Unavailable):
        await client.transfer(
            "12", "0003*210", CALL, send_to="0003*024", from_number="0003*210", moved="+13235550142"
        )
    assert app.faults.count("PUT") == 1


async def test_wrong_link_and_bad_credentials(wired: tuple[VoipNowClient, VoipNowEmulator]) -> None:
    client, _app = wired
    with pytest.raises(Rejected) as caught:
        await client.phone_calls("99", "0003*210")
    assert "link looks wrong" in caught.value.user_message
    bad = VoipNowClient(
        http=client._http, client_id="", client_secret=SecretStr(""), base_url="http://vn.test"
    )
    with pytest.raises(AuthError):
        await bad.phone_calls("12", "0003*210")


async def test_an_extension_of_the_organization_is_known_and_one_read_serves_many(
    wired: tuple[VoipNowClient, VoipNowEmulator],
) -> None:
    client, app = wired
    found = await asyncio.gather(*(client.extension_exists("0003*024") for _ in range(10)))
    assert all(found)
    assert await client.extension_exists("0003*024")  # kept: not read again
    assert app.faults.count("GET", "/uapi/phoneCalls/@owner/0003*024") == 1
    assert not await client.extension_exists("0003*555")
    assert not await client.extension_exists("999")  # not an extended form: never asked
    assert app.faults.count("GET", "/uapi/phoneCalls/@owner/999") == 0
