"""The checks every window repeats, run as Bolt runs them: listener middleware on a request's
context, with Bolt's own `ack`; form values read one way, whatever the element."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.services.actor import Actor
from handlers.forward.switch import ToggleForm
from handlers.forward.views import Meta
from handlers.oncall.views import RotationForm, RotationMeta
from handlers.shared.listeners import META, admins_only, meta_of, opened_by_them, window_meta
from handlers.transfer.views import Picked, TransferForm


def bolt_ack() -> AsyncAck:
    """Bolt's own ack (untyped in Bolt)."""
    return AsyncAck()  # type: ignore[no-untyped-call]


class Called:
    def __init__(self) -> None:
        self.times = 0

    async def __call__(self) -> None:
        self.times += 1


def context_of(user: str, *, admin: bool = False) -> AsyncBoltContext:
    context = AsyncBoltContext({"user_id": user})
    context["actor"] = Actor(user, admin)
    return context


def body_with(metadata: str) -> dict[str, Any]:
    return {"view": {"id": "V1", "private_metadata": metadata}}


def test_the_metadata_is_written_as_before_and_read_back() -> None:
    meta = Meta(opener="U1", subject="U2", number="n-1")
    assert meta.dump() == json.dumps({"opener": "U1", "subject": "U2", "number": "n-1"})
    assert Meta.load(meta.dump()) == meta
    assert Meta.load(json.dumps({"opener": "U1", "subject": "U2"})) == Meta(opener="U1", subject="U2")
    assert RotationMeta(opener="U1").dump() == json.dumps({"opener": "U1"})


def test_garbled_or_forged_metadata_reads_as_nothing() -> None:
    for raw in ("", "not json", "[]", "7", '{"opener": 7, "subject": "U2"}', '{"subject": "U2"}', None):
        assert Meta.load(raw) is None, raw


async def test_a_window_is_used_only_by_the_person_who_opened_it() -> None:
    check = opened_by_them(Meta)
    meta = Meta(opener="U1", subject="U2")
    mine, went_on = context_of("U1"), Called()
    assert await check(body=body_with(meta.dump()), context=mine, next=went_on) is None
    assert went_on.times == 1
    assert meta_of(mine, Meta) == meta
    for user, raw in (("U2", meta.dump()), ("U1", "{}"), ("U1", "garbled")):
        theirs, went_on = context_of(user), Called()
        dropped = await check(body=body_with(raw), context=theirs, next=went_on)
        assert dropped is not None
        assert (dropped.status, dropped.body) == (200, "")
        assert went_on.times == 0
        assert META not in theirs


async def test_a_button_of_both_a_window_and_the_home_checks_the_window_only() -> None:
    check = opened_by_them(Meta, or_outside=True)
    meta = Meta(opener="U1", subject="U2")
    in_window = {"view": {"id": "V1", "type": "modal", "private_metadata": meta.dump()}}
    mine, went_on = context_of("U1"), Called()
    assert await check(body=in_window, context=mine, next=went_on) is None
    assert (went_on.times, window_meta(mine, Meta)) == (1, meta)
    theirs, went_on = context_of("U2"), Called()
    assert await check(body=in_window, context=theirs, next=went_on) is not None
    assert went_on.times == 0
    for outside in ({"view": {"id": "V2", "type": "home", "private_metadata": ""}}, {}):
        home, went_on = context_of("U2"), Called()
        assert await check(body=outside, context=home, next=went_on) is None
        assert (went_on.times, window_meta(home, Meta)) == (1, None)


async def test_an_admin_only_form_says_why_under_a_field() -> None:
    check = admins_only("name", "Only admins.")
    went_on = Called()
    refused = await check(ack=bolt_ack(), context=context_of("U1"), next=went_on)
    assert refused is not None
    assert went_on.times == 0
    assert json.loads(refused.body) == {"response_action": "errors", "errors": {"name": "Only admins."}}
    assert await check(ack=bolt_ack(), context=context_of("U9", admin=True), next=went_on) is None
    assert went_on.times == 1


def state(**elements: dict[str, Any]) -> dict[str, Any]:
    return {"state": {"values": {block: {"value": element} for block, element in elements.items()}}}


def test_form_values_are_read_one_way_whatever_the_element() -> None:
    view = state(
        name={"type": "plain_text_input", "value": "  support "},
        members={"type": "multi_users_select", "selected_users": ["U1", "U2"]},
        shift_type={"type": "static_select", "selected_option": {"value": "daily"}},
        shift_length={"type": "plain_text_input", "value": None},
        channel={"type": "conversations_select", "selected_conversation": "C1"},
    )
    form = RotationForm.of(view)
    assert (form.name, form.members, form.shift_type, form.channel) == (
        "support",
        ["U1", "U2"],
        "daily",
        "C1",
    )
    assert form.shift_length == "1"
    assert form.hotline == ""
    assert RotationForm.of({}).shift_length == "1"
    picked = TransferForm.of(
        state(
            call={"type": "radio_buttons", "selected_option": None},
            user={"type": "users_select", "selected_user": "U3"},
        )
    )
    assert (picked.call, picked.user, picked.destination) == ("", "U3", "")
    typed = ToggleForm.of(state(typed_until={"type": "plain_text_input", "value": " 18:00 "}))
    assert (typed.typed_until, typed.target) == ("18:00", "")


def test_the_pick_buttons_value_round_trips_and_refuses_forgeries() -> None:
    value = Picked(subject="U1", to="voicemail").dump()
    assert value == json.dumps({"subject": "U1", "to": "voicemail"})
    assert Picked.load(value) == Picked(subject="U1", to="voicemail")
    assert Picked.load('{"subject": "U1"}') is None
    assert Picked.load("{") is None
