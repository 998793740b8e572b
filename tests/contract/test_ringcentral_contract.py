"""Every request the client sends is in RingCentral's spec; every emulator answer matches it."""

from __future__ import annotations

import httpx
import pytest

from bot.providers.errors import ProviderError
from bot.providers.ringcentral.client import RingCentralClient
from tests.helpers.openapi import check_exchange
from tests.helpers.rc import ALICE, wired

CAROL = "2263490004"


class Recorder:
    def __init__(self) -> None:
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    async def __call__(self, response: httpx.Response) -> None:
        await response.aread()
        self.exchanges.append((response.request, response))


async def exercise(client: RingCentralClient) -> None:
    """Every call the bot makes, through the real client."""
    await client.list_extensions(email="alice@example.com", type="User")
    await client.get_extension(ALICE)
    await client.get_extension("~")
    assert await client.own_numbers(ALICE) == {"+16505550102"}
    numbers = await client.forwarding.list(ALICE)
    await client.forwarding.get(ALICE, numbers[0].id)
    made = await client.forwarding.create(ALICE, phone_number="+16505550199", type="Other", label="Desk")
    await client.forwarding.update(
        ALICE, made.id, changes={"phoneNumber": "+16505550198", "label": "Desk 2"}
    )
    await client.forwarding.delete(ALICE, made.id)
    with pytest.raises(ProviderError):
        await client.forwarding.create(ALICE, phone_number="+16505550102", type="Other", label="x")
    await exercise_calls(client)
    await exercise_handling(client)


async def exercise_calls(client: RingCentralClient) -> None:
    call = (await client.calls.active_calls(ALICE))[0]
    await client.calls.session(call.telephony_session_id)
    await client.calls.flip(call.telephony_session_id, call.party_id, "1")
    with pytest.raises(ProviderError):
        await client.calls.transfer(call.telephony_session_id, call.party_id, {"voicemail": ALICE})


async def exercise_handling(client: RingCentralClient) -> None:
    await client.handling.model(ALICE)
    await client.handling.model(CAROL)
    rules = await client.handling.list_rules(ALICE)
    await client.handling.get_rule(ALICE, rules[0]["id"])
    made = await client.handling.create_custom_rule(
        ALICE,
        {
            "type": "Custom",
            "name": "Switchboard: contract",
            "enabled": True,
            "schedule": {"ranges": [{"from": "2026-11-23T10:00:00Z", "to": "2026-11-23T12:00:00Z"}]},
            "callHandlingAction": "UnconditionalForwarding",
            "unconditionalForwarding": {"phoneNumber": "+14155550123"},
        },
    )
    await client.handling.delete_rule(ALICE, made["id"])
    state = await client.handling.get_state(CAROL, "forward-all-calls")
    await client.handling.patch_state(CAROL, "forward-all-calls", {"enabled": state["enabled"]})
    rule = await client.handling.get_state_rule(CAROL, "forward-all-calls")
    await client.handling.put_state_rule_dispatching(CAROL, "forward-all-calls", rule["dispatching"])
    await client.handling.call_flip_numbers(CAROL)


async def test_client_traffic_matches_the_spec(sqlite_url: str) -> None:
    recorder = Recorder()
    async with wired(sqlite_url, socket=False) as rc:
        rc.client.requests._http.client.event_hooks["response"].append(recorder)
        await exercise(rc.client)
    seen = {check_exchange(request, response) for request, response in recorder.exchanges}
    assert {
        "getToken",
        "listExtensions",
        "readExtension",
        "listExtensionPhoneNumbers",
        "listForwardingNumbers",
        "readForwardingNumber",
        "createForwardingNumber",
        "updateForwardingNumber",
        "deleteForwardingNumber",
        "readUserPresenceStatus",
        "readCallSessionStatus",
        "callFlipParty",
        "transferCallParty",
        "readExtensionFeatures",
        "listAnsweringRules",
        "readAnsweringRule",
        "createAnsweringRule",
        "deleteAnsweringRule",
        "readCicState",
        "updateCicState",
        "readVoiceStateBasedRule",
        "updateVoiceStateBasedRule",
        "readCallFlipSettings",
    } <= seen
