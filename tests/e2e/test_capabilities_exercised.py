"""Every capability a provider declares is brought by its adapter and exercised against that
provider's emulator.

A provider's package declares what its lines can do (bot/providers/<name>/declaration.py) and
builds an `Adapter` carrying one object per capability (bot/providers/base.py); services trust
the declaration and use the object. So a declared capability with no object fails here, and
each declared (provider, capability) pair has an exercise that drives the adapter's object
against the built-in emulator and reads the emulator's state afterwards (putting back what it
changed). A declaration with no exercise fails too (docs/adding-a-provider.md, last step).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.devkit.ringcentral.ringing import Phone
from bot.devkit.ringcentral.routing import effective_routing
from bot.devkit.ringcentral.state import Extension
from bot.devkit.ringcentral.telephony import CallSession
from bot.domain.calls import CallEvent
from bot.domain.capabilities import Capability
from bot.domain.forwarding import Ladder, NumberChange
from bot.domain.lines import ProviderName
from bot.providers.base import BROUGHT_BY, Adapter
from bot.providers.calls import Destination
from bot.providers.quick_forward import Applied
from bot.providers.registry import BY_NAME, DECLARATIONS, SPECS
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.smspartner.client import DISABLED, FORWARD
from bot.providers.smspartner.declaration import SMSPARTNER
from bot.providers.specs import SpecContext
from bot.providers.voipnow.declaration import VOIPNOW
from bot.services.sign_in import pkce_pair
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord
from tests.helpers.harness import Harness, user_id
from tests.helpers.network import forget, host_in_process
from tests.helpers.providers import emulators

Exercise = Callable[[Harness], Awaitable[None]]
T = TypeVar("T")

DAVE = LinkRecord(user_id("dave"), VOIPNOW, "12/0003*210", "0003*210", "Dave", "admin")
CALLER = "+14085550199"  # someone outside the seeded companies
MOBILE = "+14155550123"  # Alice's mobile in the seeded RingCentral company (company.json)
BACKUP = "+12125550142"  # Bob's mobile
HOUR = timedelta(hours=1)
BY = "exercise"


def brought(capability_object: T | None) -> T:
    assert capability_object is not None
    return capability_object


def _adapter(bot: Harness, provider: ProviderName) -> Adapter:
    return bot.runtime.providers.adapters[provider]


def _phone(bot: Harness) -> Phone:
    return emulators(bot.runtime).ringcentral.phone


def _now() -> datetime:
    return datetime.now(UTC)


async def _person(bot: Harness, name: str) -> tuple[LinkRecord, Extension]:
    """A seeded RingCentral person's line (as an email link makes it) and their extension."""
    ext = brought(bot.rc.by_email(f"{name}@example.com"))
    entry = brought(await brought(_adapter(bot, RINGCENTRAL).directory).entry(str(ext.id)))
    line = LinkRecord(
        user_id(name), RINGCENTRAL, entry.line_id, entry.extension_number, entry.name, "email"
    )
    return line, ext


async def _answered(bot: Harness, ext: Extension) -> CallSession:
    """A call from CALLER rung at the extension and answered there."""
    session = await _phone(bot).ring(ext.id, CALLER, "Sam Caller")
    await _phone(bot).answer(session.id)
    return session


def _toggle(
    line: LinkRecord, model: str, kind: str, target: str, applied: Applied, ends_at: datetime | None
) -> ToggleRecord:
    """The toggle row the toggle service would keep for what an overlay applied."""
    return ToggleRecord(
        id=1,
        slack_user_id=line.slack_user_id,
        line=line.ref,
        model=model,
        kind=kind,
        target=target,
        provider_object=applied.provider_object,
        snapshot=applied.snapshot,
        written=applied.written,
        status="active",
        ends_at=ends_at,
        attempts=0,
        created_at=_now(),
    )


async def rc_directory(bot: Harness) -> None:
    directory = brought(_adapter(bot, RINGCENTRAL).directory)
    alice = brought(bot.rc.by_email("alice@example.com"))
    assert [e.line_id for e in await directory.find_by_email("alice@example.com")] == [str(alice.id)]
    assert brought(await directory.find_by_extension_number(alice.number)).name == alice.name
    assert await directory.entry("1") is None
    people = {e.extension_number for e in await directory.list_people()}
    enabled = {e.number for e in bot.rc.extensions.values() if (e.type, e.status) == ("User", "Enabled")}
    assert people == enabled


async def rc_forwarding_numbers(bot: Harness) -> None:
    forwarding = brought(_adapter(bot, RINGCENTRAL).forwarding)
    line, ext = await _person(bot, "alice")
    assert [n.id for n in await forwarding.numbers(line)] == [n.id for n in ext.forwarding]
    added = await forwarding.add(line, phone="+14155550166", type="Other", label="Cabin")
    assert (ext.forwarding[-1].id, ext.forwarding[-1].phone) == (added.id, "+14155550166")
    await forwarding.update(line, added.id, NumberChange(phone="+14155550167", label="Lake"))
    assert (ext.forwarding[-1].phone, ext.forwarding[-1].label) == ("+14155550167", "Lake")
    await forwarding.remove(line, added.id)
    assert added.id not in {n.id for n in ext.forwarding}


async def rc_quick_forward(bot: Harness) -> None:
    quick_forward = brought(_adapter(bot, RINGCENTRAL).quick_forward)
    models = set()
    for name in ("alice", "carol"):  # a legacy extension and an upgraded one: an overlay each
        line, ext = await _person(bot, name)
        overlay = await quick_forward.overlay(line)
        models.add(overlay.model)
        before, ends = effective_routing(ext, _now()), _now() + HOUR
        applied = await overlay.apply(line, "forward", MOBILE, ends, by=BY)
        routing = effective_routing(ext, _now())
        assert (routing.action, routing.to) == ("forward", MOBILE)
        toggle = _toggle(line, overlay.model, "forward", MOBILE, applied, ends)
        status = await overlay.status(line, toggle, _now())
        assert (status.mode, status.target, status.ours) == ("forward", MOBILE, True)
        assert abs(brought(status.until) - ends) < timedelta(seconds=1)  # in the line's own zone
        assert await overlay.revert(line, toggle, by=BY) == "restored"
        assert effective_routing(ext, _now()) == before
    assert models == {"rc-legacy", "rc-new"}


async def rc_ring_in_order(bot: Harness) -> None:
    quick_forward = brought(_adapter(bot, RINGCENTRAL).quick_forward)
    ladder = Ladder(first=MOBILE, backup=BACKUP, ring_seconds=20)
    for name in ("alice", "carol"):  # a legacy extension and an upgraded one
        line, ext = await _person(bot, name)
        overlay = brought(await quick_forward.ladder(line))
        before, ends = effective_routing(ext, _now()), _now() + HOUR
        applied = await overlay.apply_ladder(line, ladder, ends, by=BY)
        routing = effective_routing(ext, _now())
        assert (routing.action, routing.order) == ("ring-in-order", ((MOBILE, 20), (BACKUP, 20)))
        toggle = _toggle(line, overlay.model, "escalate", MOBILE, applied, ends)
        keeper = quick_forward.keeper_of(toggle) or await quick_forward.overlay(line)
        status = await keeper.status(line, toggle, _now())
        assert (status.mode, status.target, status.backup) == ("escalate", MOBILE, BACKUP)
        assert status.ours
        assert abs(brought(status.until) - ends) < timedelta(seconds=1)
        assert await keeper.revert(line, toggle, by=BY) == "restored"
        assert effective_routing(ext, _now()) == before


async def rc_call_control(bot: Harness) -> None:
    live_calls = brought(_adapter(bot, RINGCENTRAL).live_calls)
    line, ext = await _person(bot, "alice")
    session = await _answered(bot, ext)
    calls = {call.call_id: call for call in await live_calls.calls(line, "US")}
    on = {s.id for s in bot.rc.sessions.values() if (p := s.party_of(ext.id)) and p.status == "Answered"}
    assert set(calls) == on
    assert calls[session.id].movable
    assert await live_calls.extension(line, "103") == "103"
    assert await live_calls.extension(line, "109") is None  # Ivan's extension is disabled
    assert ext.direct_number in await live_calls.own_numbers(line)
    call = calls[session.id]
    assert await live_calls.move(call, Destination("extension", "103", "extension 103"), "103")
    party = brought(session.party(call.party_id))
    assert (party.status, party.reason) == ("Disconnected", "BlindTransfer")
    assert session.moves[-1]["to"] == "Bob Chen"  # extension 103


async def rc_call_flip(bot: Harness) -> None:
    live_calls = brought(_adapter(bot, RINGCENTRAL).live_calls)
    forwarding = brought(_adapter(bot, RINGCENTRAL).forwarding)
    carol, carol_ext = await _person(bot, "carol")  # upgraded: flip numbers from v2
    flips = brought(await forwarding.flip_numbers(carol))
    assert [(n.phone, n.flip) for n in flips] == [(n.phone, n.flip) for n in carol_ext.forwarding]
    line, ext = await _person(bot, "alice")  # legacy: her forwarding numbers carry the digits
    assert await forwarding.flip_numbers(line) is None
    session = await _answered(bot, ext)
    call = next(c for c in await live_calls.calls(line, "US") if c.call_id == session.id)
    assert await live_calls.move(call, Destination("flip", "mobile", "your mobile"), "1")
    assert session.moves == [{"kind": "flip", "party": call.party_id, "callFlipId": "*1", "to": MOBILE}]


async def rc_pre_call_control(bot: Harness) -> None:
    ringing = brought(_adapter(bot, RINGCENTRAL).ringing)
    line, ext = await _person(bot, "alice")
    forwarded = await _phone(bot).ring(ext.id, CALLER)
    party = brought(forwarded.party_of(ext.id))
    await ringing.forward(forwarded.id, party.id, MOBILE)
    assert forwarded.moves == [{"kind": "forward", "party": party.id, "phoneNumber": MOBILE}]
    to_mailbox = await _phone(bot).ring(ext.id, CALLER)
    await ringing.voicemail(to_mailbox.id, brought(to_mailbox.party_of(ext.id)).id, line.line_id)
    assert brought(to_mailbox.party_of(ext.id)).status == "VoiceMail"


async def rc_push(bot: Harness) -> None:
    push = brought(_adapter(bot, RINGCENTRAL).push)
    pusher = emulators(bot.runtime).ringcentral.pusher
    heard: list[tuple[str | None, list[CallEvent]]] = []  # each delivery: its token, its events

    async def webhook(request: Request) -> Response:  # the deliveries, read by the push object
        check = push.handshake(request.headers)
        if check is not None:
            return Response(status_code=check.status, headers=check.headers, media_type=check.media_type)
        heard.append((push.token(request.headers), push.events(await request.json())))
        return Response()

    address = host_in_process(Starlette(routes=[Route(push.webhook_path, webhook, methods=["POST"])]))
    before = set(pusher.subscriptions)
    try:
        made = await push.create(address=address + push.webhook_path, token="t-1", expires_in=3600)
        kept = pusher.subscriptions[made.id]  # the emulator delivers there, with that token
        assert (kept.address, kept.token) == (address + push.webhook_path, "t-1")
        assert (await push.read(made.id)).active
        assert (await push.renew(made.id)).active
        line, ext = await _person(bot, "alice")
        session = await _answered(bot, ext)
        seen = [
            (token, e.session_id, e.line, e.caller_number, e.state) for token, es in heard for e in es
        ]
        assert seen == [("t-1", session.id, line.line, CALLER, s) for s in ("ringing", "answered")]
    finally:
        forget(address)
        for made_here in set(pusher.subscriptions) - before:  # the emulator delivers there no more
            del pusher.subscriptions[made_here]


async def rc_personal_sign_in(bot: Harness) -> None:
    adapter = _adapter(bot, RINGCENTRAL)
    sign_in, pages = brought(adapter.sign_in), brought(adapter.sign_in_pages)
    alice, ext = user_id("alice"), brought(bot.rc.by_email("alice@example.com"))
    verifier, challenge = pkce_pair()
    callback = bot.url + pages.callback
    url = sign_in.authorize_url(state="s-1", challenge=challenge, redirect_uri=callback)
    transport = httpx.ASGITransport(app=emulators(bot.runtime).ringcentral)
    async with httpx.AsyncClient(transport=transport) as browser:  # Alice fills the login form in
        answer = await browser.post(url, data={"email": "alice@example.com"})
    assert answer.headers["location"].startswith(callback), answer.text
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    pair = await sign_in.exchange(code=code, verifier=verifier, redirect_uri=callback)
    assert (await sign_in.line_of(alice, pair)).line_id == str(ext.id)
    await sign_in.keep(alice, pair)
    assert await sign_in.is_connected(alice)
    assert brought(bot.rc.grant_for(pair.access_token)).extension_id == ext.id
    assert await sign_in.forget(alice)
    assert not await sign_in.is_connected(alice)
    assert bot.rc.grant_for(pair.access_token) is None  # her session ended at RingCentral


async def vn_call_control(bot: Harness) -> None:
    live_calls = brought(_adapter(bot, VOIPNOW).live_calls)
    state = emulators(bot.runtime).voipnow.emulator_state
    calls = await live_calls.calls(DAVE, "US")
    assert [c.call_id for c in calls] == [c.id for c in state.calls_of("0003*210")]
    assert await live_calls.extension(DAVE, "999") is None
    target = brought(await live_calls.extension(DAVE, "024"))
    assert target == "0003*024"
    call = calls[0]
    assert call.movable
    assert call.other_number == "+13235550142"
    # VoipNow accepts (202) and moves later: not settled, the caller looks again
    assert not await live_calls.move(call, Destination("extension", "024", "extension 024"), target)
    assert state.moves == [
        {"call": call.call_id, "action": "Transfer", "to": target, "from": "0003*210"}
    ]
    assert await live_calls.calls(DAVE, "US") == []


async def sp_quick_forward(bot: Harness) -> None:
    quick_forward = brought(_adapter(bot, SMSPARTNER).quick_forward)
    providers = bot.runtime.providers
    number = next(iter(providers.emulated_numbers))
    context = SpecContext(providers.directory, providers.emulated_numbers, "FR")
    line = await SPECS[SMSPARTNER].admin_line(user_id("alice"), number, context)
    emulated = emulators(bot.runtime).smspartner.emulator_state.numbers[line.line_id]
    assert await quick_forward.ladder(line) is None
    overlay = await quick_forward.overlay(line)
    applied = await overlay.apply(line, "forward", "+33700000001", None, by=BY)
    assert (emulated.type, emulated.param) == (FORWARD, "+33700000001")
    toggle = _toggle(line, overlay.model, "forward", "+33700000001", applied, None)
    assert (await overlay.status(line, toggle, _now())).mode == "forward"
    assert await overlay.revert(line, toggle, by=BY) == "restored"
    assert (emulated.type, emulated.param) == (DISABLED, "")


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
    RINGCENTRAL: "102",  # Alice's extension in the seeded company (bot/devkit/ringcentral/company.json)
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
    for adapter in adapters.values():  # as built (Adapter refuses a declared one missing)
        declared = adapter.declaration.capabilities
        assert all(getattr(adapter, BROUGHT_BY[c]) is not None for c in declared)
    # planted: a declaration claiming what the adapter brings no object for is refused
    vn = adapters[VOIPNOW]
    with pytest.raises(TypeError, match="voipnow declares DIRECTORY but brings no directory"):
        replace(vn, declaration=replace(vn.declaration, capabilities=frozenset(Capability)))
    with pytest.raises(TypeError, match="declares PRE_CALL_CONTROL but brings no ringing"):
        replace(adapters[RINGCENTRAL], ringing=None)
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
