"""Every capability a provider declares is exercised against that provider's emulator.

A provider's package declares what its lines can do (bot/providers/<name>/declaration.py);
services trust the declaration. So each declared (provider, capability) pair has an exercise
here that does it through the built-in emulator, and a declaration with no exercise fails
(docs/adding-a-provider.md, last step).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from bot.domain.capabilities import Capability
from bot.domain.forwarding import Status
from bot.domain.lines import ProviderName
from bot.providers.errors import NotFound
from bot.providers.registry import BY_NAME, DECLARATIONS, SPECS
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.smspartner.client import ALREADY, DISABLED
from bot.providers.smspartner.declaration import SMSPARTNER
from bot.providers.specs import SpecContext
from bot.providers.voipnow.declaration import VOIPNOW
from bot.services.calls import CallFinder
from bot.store.links import LinkRecord
from tests.helpers.harness import Harness, user_id
from tests.helpers.providers import emulators, ringcentral_client, smspartner_client

Exercise = Callable[[Harness], Awaitable[None]]
ALICE_EXT = "102"  # the seeded RingCentral company (bot/devkit/ringcentral/company.json)
DAVE = LinkRecord(user_id("dave"), VOIPNOW, "12/0003*210", "0003*210", "Dave", "admin")


async def _alice(bot: Harness) -> LinkRecord:
    directory = bot.runtime.providers.directory
    assert directory is not None
    entry = await directory.find_by_extension_number(ALICE_EXT)
    assert entry is not None
    return LinkRecord(
        user_id("alice"), entry.provider, entry.line_id, entry.extension_number, entry.name, "email"
    )


def _finder(bot: Harness) -> CallFinder:
    providers = bot.runtime.providers
    return CallFinder(controls=providers.live_calls, capabilities=providers.capabilities)


async def rc_directory(bot: Harness) -> None:
    assert bot.runtime.providers.directory is not None
    found = await bot.runtime.providers.directory.find_by_email("alice@example.com")
    assert [entry.extension_number for entry in found] == [ALICE_EXT]


async def rc_forwarding_numbers(bot: Harness) -> None:
    assert await bot.runtime.forwarding.numbers(await _alice(bot))


async def rc_quick_forward(bot: Harness) -> None:
    assert isinstance(await bot.runtime.toggles.line_status(await _alice(bot)), Status)


async def rc_call_control(bot: Harness) -> None:
    alice = await _alice(bot)
    assert all(call.line == alice for call in await _finder(bot).calls(alice))
    assert await _finder(bot).extension(alice, "103") == "103"


async def rc_call_flip(bot: Harness) -> None:
    assert await bot.runtime.forwarding.flip_numbers(await _alice(bot))


async def rc_pre_call_control(bot: Harness) -> None:
    client = ringcentral_client(bot.runtime)
    assert client is not None
    with pytest.raises(NotFound):  # the emulator's own answer for a call that isn't ringing
        await client.ringing.voicemail("no-such-session", "p-1", (await _alice(bot)).line_id)


async def rc_push(bot: Harness) -> None:
    bot.runtime.push.public_url = bot.url
    assert await bot.runtime.push.ensure() == "created"


async def rc_personal_sign_in(bot: Harness) -> None:
    client = ringcentral_client(bot.runtime)
    emulator = emulators(bot.runtime).ringcentral
    assert client is not None
    assert client.sign_ins is not None
    assert emulator is not None
    url = client.sign_ins.authorize_url(state="s", challenge="c" * 43, redirect_uri=bot.url)
    transport = httpx.ASGITransport(app=emulator)
    async with httpx.AsyncClient(transport=transport) as http:
        answer = await http.get(url)
    assert answer.status_code < 400, answer.text


async def rc_ring_in_order(bot: Harness) -> None:
    assert await bot.runtime.toggles.ladder_overlay(await _alice(bot)) is not None


async def vn_call_control(bot: Harness) -> None:
    assert all(call.line == DAVE for call in await _finder(bot).calls(DAVE))
    assert await _finder(bot).extension(DAVE, "024") == "0003*024"


async def sp_quick_forward(bot: Harness) -> None:
    client = smspartner_client(bot.runtime)
    number = next(iter(bot.runtime.providers.emulated_numbers))
    assert client is not None
    code = await client.set_forward(number, DISABLED)
    assert code in ALREADY or client.last_outcome.startswith("ok")


EXERCISES: dict[tuple[ProviderName, Capability], Exercise] = {
    (RINGCENTRAL, Capability.DIRECTORY): rc_directory,
    (RINGCENTRAL, Capability.FORWARDING_NUMBERS): rc_forwarding_numbers,
    (RINGCENTRAL, Capability.QUICK_FORWARD): rc_quick_forward,
    (RINGCENTRAL, Capability.CALL_CONTROL): rc_call_control,
    (RINGCENTRAL, Capability.CALL_FLIP): rc_call_flip,
    (RINGCENTRAL, Capability.PRE_CALL_CONTROL): rc_pre_call_control,
    (RINGCENTRAL, Capability.PUSH): rc_push,
    (RINGCENTRAL, Capability.PERSONAL_SIGN_IN): rc_personal_sign_in,
    (RINGCENTRAL, Capability.RING_IN_ORDER): rc_ring_in_order,
    (VOIPNOW, Capability.CALL_CONTROL): vn_call_control,
    (SMSPARTNER, Capability.QUICK_FORWARD): sp_quick_forward,
}


TYPED = {  # a line of each provider's emulator, as an admin types it after `provider:`
    RINGCENTRAL: ALICE_EXT,
    VOIPNOW: DAVE.line_id,
    SMSPARTNER: "",  # the emulated virtual number, known once running
}


def test_every_declared_capability_has_an_exercise() -> None:
    declared = {(d.name, c) for d in DECLARATIONS.values() for c in d.capabilities}
    assert declared - set(EXERCISES) == set(), "declared, never exercised against the emulator"
    assert set(EXERCISES) - declared == set(), "exercised, no longer declared"


async def test_each_emulator_does_what_its_provider_declares(bot: Harness) -> None:
    adapters = bot.runtime.providers.adapters
    assert set(adapters) == set(BY_NAME)  # the emulator runs them all
    for adapter in adapters.values():  # a capability declared is a capability brought
        declared = adapter.declaration.capabilities
        assert (Capability.CALL_CONTROL in declared) == (adapter.live_calls is not None)
    failed = {}
    for (provider, capability), exercise in EXERCISES.items():
        try:
            await exercise(bot)
        except Exception as exc:
            failed[f"{provider.value} {capability.name}"] = repr(exc)
    assert failed == {}, "\n".join(f"{k}: {v[:300]}" for k, v in failed.items())


async def test_each_providers_typed_line_is_read_against_its_emulator(bot: Harness) -> None:
    assert set(SPECS) == set(DECLARATIONS) == set(TYPED) == set(BY_NAME)
    providers = bot.runtime.providers
    context = SpecContext(providers.directory, providers.emulated_numbers, "US")
    for provider, typed in TYPED.items():
        value = typed or next(iter(providers.emulated_numbers))
        link = await SPECS[provider].admin_line(user_id("alice"), value, context)
        assert (link.provider, link.source) == (provider, "admin")
