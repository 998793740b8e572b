"""docs/contract.md "Live calls in Slack": the webhook, cards updated in place, buttons, hotlines.

The RingCentral emulator pushes its telephony-session notifications as HTTP requests to the
bot's front (its whole ASGI app, in-process), as RingCentral's WebHook delivery does.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event

from bot.devkit.shell import payloads
from bot.store import rotations as rotation_store
from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness, user_id
from tests.helpers.live_calls import CALLER, button_on, cards_to, live, press, ring_alice
from tests.helpers.oncall import create_rotation

HOTLINE_EXT = 2263496004


async def test_validation_is_echoed_and_a_wrong_token_refused(bot: Harness) -> None:
    await live(bot)
    assert bot._rc_app.pusher.created == 1  # RingCentral validated the address first
    assert await bot.runtime.push.ensure() == "kept"  # reused, not duplicated
    echo = await bot.http.post(f"{bot.url}/ringcentral/webhook", headers={"Validation-Token": "v-123"})
    assert echo.status_code == 200
    assert echo.headers["Validation-Token"] == "v-123"
    assert echo.headers["Content-Type"].startswith("application/json")  # else SUB-525
    assert len(echo.content) + sum(len(k) + len(v) for k, v in echo.headers.items()) < 1024
    forged = await bot.http.post(
        f"{bot.url}/ringcentral/webhook",
        headers={"Verification-Token": "guess"},
        content=json.dumps({"body": {"telephonySessionId": "s-1", "sequence": 1, "parties": []}}),
    )
    assert forged.status_code == 401


async def test_an_opted_in_person_gets_one_card_updated_in_place(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    bot.slack.drain()
    started = time.monotonic()
    session = await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    posted = cards_to(bot, user_id("alice"))
    assert [c.method for c in posted] == ["chat.postMessage"]
    assert posted[0].at - started < 2.0
    assert "(650) 555-0142" in str(posted[0].args["blocks"])
    ts = str(posted[0].result["ts"]) if posted[0].result else ""
    await bot._rc_app.phone.answer(session.id)
    await bot.runtime.tasks.wait_idle()
    updated = cards_to(bot, user_id("alice"))[1:]
    assert [c.method for c in updated] == ["chat.update"]
    assert updated[0].args["ts"] == ts
    assert "Answered" in str(updated[0].args["blocks"])
    pusher = bot._rc_app.pusher
    subscription = next(iter(pusher.subscriptions.values()))
    for note in (pusher.delivered[1], pusher.delivered[0]):  # repeated, then out of order
        await pusher.deliver(subscription, note["body"])
    await bot.runtime.tasks.wait_idle()
    assert len(cards_to(bot, user_id("alice"))) == 2  # nothing doubled, nothing went back


async def test_nobody_gets_cards_without_opting_in(bot: Harness) -> None:
    await live(bot)
    await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    assert cards_to(bot, user_id("alice")) == []


async def test_the_cards_buttons_send_one_request_each_and_only_for_the_owner(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    first, card = await ring_alice(bot)
    voicemail = button_on(card, "call_card_voicemail")
    await press(bot, "bob", card, voicemail)  # not bob's call
    assert first.moves == []
    pressed = await press(bot, "alice", card, voicemail)
    await press(bot, "alice", card, voicemail)  # a double click
    # Straight to voicemail is a forward to the mailbox; reject would only "Ignore" it.
    assert first.moves == [
        {"kind": "forward", "party": first.parties[1].id, "voicemail": str(ALICE_EXT)}
    ]
    assert first.parties[1].status == "VoiceMail"  # the caller leaves a message, rings nowhere else
    shown = [c.args["blocks"] for c in pressed.calls if c.method == "chat.update"]
    assert "Sent to voicemail" in str(shown[-1])
    bot.slack.drain()
    second, card = await ring_alice(bot)
    forward = button_on(card, "call_card_forward:0")
    assert "Forward to my Mobile" in str(forward)
    await press(bot, "alice", card, forward)
    assert second.moves == [
        {"kind": "forward", "party": second.parties[1].id, "phoneNumber": "+14155550123"}
    ]
    actions = [r.action for r in await bot.audit_rows()]
    assert actions.count("call.voicemail") == 1
    assert actions.count("call.forward") == 1
    await press(bot, "alice", card, {**forward, "value": forward["value"].replace("+1415", "+1900")})
    assert len(second.moves) == 1  # a forged premium number: refused, nothing sent


async def test_a_missed_hotline_call_updates_the_channel_card_and_tells_whoever_is_on_call(
    bot: Harness,
) -> None:
    await live(bot)
    await create_rotation(bot, members=[user_id("alice")])  # on call whatever the week
    await bot.runtime.handoffs.tick()
    bot.slack.drain()
    session = await bot._rc_app.phone.ring(HOTLINE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    card = cards_to(bot, "C0ONCALL")
    assert [c.method for c in card] == ["chat.postMessage"]
    assert f"on call: <@{user_id('alice')}>" in str(card[0].args["blocks"])
    await bot._rc_app.phone.hang_up(session.id)
    await bot.runtime.tasks.wait_idle()
    card = cards_to(bot, "C0ONCALL")
    assert [c.method for c in card] == ["chat.postMessage", "chat.update"]
    assert "Missed" in str(card[1].args["blocks"])
    dms = [
        c
        for c in bot.slack.calls
        if c.method == "chat.postMessage"
        and c.args["channel"] == user_id("alice")
        and "missed a call" in c.args["text"]
    ]
    assert len(dms) == 1


async def test_the_subscription_is_recreated_when_ringcentral_lost_it(bot: Harness) -> None:
    await live(bot)
    pusher = bot._rc_app.pusher
    pusher.subscriptions.clear()  # RingCentral dropped it (expired, or blacklisted)
    bot.runtime.push._checked_at = None  # the next check is due
    assert await bot.runtime.push.ensure() == "recreated"
    assert pusher.created == 2
    assert len(pusher.subscriptions) == 1


async def test_without_a_public_url_there_is_no_subscription(bot: Harness) -> None:
    assert await bot.runtime.push.ensure() == "disabled"
    reply = await bot.command("alice", "/switchboard", "calls on")
    assert "no SWITCHBOARD_PUBLIC_URL" in reply.text
    transfer = await bot.command("alice", "/transfer", "voicemail")  # presence polling still works
    assert "voicemail" in transfer.text.lower()


async def test_the_app_home_switches_cards_on_and_off(bot: Harness) -> None:
    await live(bot)
    home = await bot.signed(payloads.app_home_opened(user_id("carol")), content_type="application/json")
    view = next(c.args["view"] for c in home.calls if c.method == "views.publish")
    switch = next(
        b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("action_id") == "home_call_cards"
    )
    assert switch["value"] == "on"
    await bot.click("carol", switch, view={**view, "id": "VHOME", "hash": "1.h"})
    assert await bot.runtime.cards.opted_in(user_id("carol"))


async def test_an_answered_card_offers_the_transfer_window(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    session = await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    await bot._rc_app.phone.answer(session.id)
    await bot.runtime.tasks.wait_idle()
    updated = [c for c in cards_to(bot, user_id("alice")) if c.method == "chat.update"][-1]
    transfer = button_on(updated, "call_card_transfer")
    reply = await press(bot, "alice", updated, transfer)
    opened = [c for c in reply.calls if c.method in ("views.open", "views.update")]
    assert opened
    assert "Pat Caller" in str(opened[-1].args["view"])  # the call is one to pick


async def test_an_address_that_does_not_echo_the_validation_token_gets_no_subscription(
    bot: Harness,
) -> None:
    import pytest

    from bot.providers.errors import Rejected

    bot.runtime.push.public_url = bot.slack.url  # answers RingCentral's check with a 404
    with pytest.raises(Rejected) as refused:
        await bot.runtime.push.ensure()
    assert refused.value.code == "SUB-525"
    assert bot._rc_app.pusher.created == 0


async def test_the_forward_button_sends_only_to_the_owners_own_numbers(bot: Harness) -> None:
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    session, card = await ring_alice(bot)
    forward = button_on(card, "call_card_forward:0")
    forged = {**forward, "value": forward["value"].replace("+14155550123", "+14155550100")}
    reply = await press(bot, "alice", card, forged)  # a number the policy allows, not hers
    assert "isn't one of your forwarding numbers" in reply.text
    assert session.moves == []
    await press(bot, "alice", card, forward)
    assert [m["phoneNumber"] for m in session.moves] == ["+14155550123"]


async def test_each_forward_button_has_its_own_action_id_and_old_cards_still_work(bot: Harness) -> None:
    """Slack refuses two alike action_ids in one actions block (the stand-in too): each Forward
    button is `call_card_forward:<n>`; a card posted before, with the bare id, still works."""
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    session, card = await ring_alice(bot)
    ids = [e["action_id"] for b in card.args["blocks"] for e in b.get("elements", [])]
    assert len(ids) == len(set(ids)), ids
    legacy = {**button_on(card, "call_card_forward:0"), "action_id": "call_card_forward"}
    await press(bot, "alice", card, legacy)
    assert [m["phoneNumber"] for m in session.moves] == ["+14155550123"]


async def test_a_missed_call_from_a_premium_number_is_never_suggested_back(bot: Harness) -> None:
    await live(bot)
    await create_rotation(bot, members=[user_id("alice")])
    await bot.runtime.handoffs.tick()
    bot.slack.drain()
    session = await bot._rc_app.phone.ring(HOTLINE_EXT, "+19005550142", "Prize Desk")
    await bot.runtime.tasks.wait_idle()
    await bot._rc_app.phone.hang_up(session.id)
    await bot.runtime.tasks.wait_idle()
    dms = [
        str(c.args["text"])
        for c in bot.slack.calls
        if c.method == "chat.postMessage"
        and c.args["channel"] == user_id("alice")
        and "missed a call" in str(c.args["text"])
    ]
    assert len(dms) == 1
    assert "premium-rate or unsafe" in dms[0]
    assert "from Prize Desk `(900) 555-0142`." in dms[0]  # the one number formatter
    assert "call them back" not in dms[0]
    assert "call it back" not in dms[0].replace("don't call it back", "")


async def test_a_notification_reads_only_the_rotation_of_its_line(bot: Harness) -> None:
    """At 1,000 calls a minute every notification used to read every rotation and its
    members: with 20 rotations, 21 queries per call. Now one indexed read (none match here)."""
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    now = datetime.now(UTC)
    async with bot.runtime.database.session() as session:
        for r in range(20):
            fields = {
                "name": f"team{r}",
                "hotline": f"ringcentral:{9_100_000 + r}",
                "hotline_label": str(9100 + r),
                "shift_type": "daily",
                "shift_length": 1,
                "handoff": "09:00",
                "timezone": "UTC",
                "start_date": now.date().isoformat(),
                "channel": "C0ONCALL",
            }
            await rotation_store.save(session, fields=fields, members=[user_id("bob")], by="t", now=now)
    await bot.runtime.tasks.wait_idle()
    bot.slack.drain()
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = bot.runtime.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
        await bot.runtime.tasks.wait_idle()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(cards_to(bot, user_id("alice"))) == 1
    about_rotations = [s for s in statements if "rotation" in s.lower()]
    assert len(about_rotations) == 1, about_rotations


async def test_a_card_keeps_the_owners_numbers_until_they_change(bot: Harness) -> None:
    """At burst rates a read of the owner's numbers per card would spend the administrator's
    Light budget: the second call's card reuses them; a change through Switchboard is kept
    as it is made, so the next card offers the new number without a read of its own."""
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")

    def numbers_read() -> int:
        return sum(n for key, n in bot.rc_faults.requests.items() if key.endswith("/forwarding-number"))

    async def card_buttons() -> list[str]:
        """The numbers the newest card's Forward buttons offer."""
        await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
        await bot.runtime.tasks.wait_idle()
        return re.findall(r'"n":"(\+\d+)"', str(cards_to(bot, user_id("alice"))[-1].args["blocks"]))

    first = await card_buttons()
    assert first
    read = numbers_read()
    assert await card_buttons() == first  # the same buttons
    assert numbers_read() == read  # kept, not read again
    await bot.command("alice", "/forward", "add +14155550199 desk")
    read = numbers_read()
    assert "+14155550199" in await card_buttons()
    assert numbers_read() == read  # changed through Switchboard: kept as changed


async def test_a_card_offers_the_numbers_the_owner_already_listed_without_reading_them(
    bot: Harness,
) -> None:
    """Reads the bot already makes keep a person's numbers warm: after `/forward list`, a
    call's card has its Forward buttons without a read of the administrator's Light budget."""
    await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    await bot.command("alice", "/forward", "list")
    read = sum(n for key, n in bot.rc_faults.requests.items() if key.endswith("/forwarding-number"))
    _, card = await ring_alice(bot)
    assert "Forward to my Mobile" in str(card.args["blocks"])
    assert (
        sum(n for key, n in bot.rc_faults.requests.items() if key.endswith("/forwarding-number")) == read
    )


async def test_a_signed_in_owners_card_reads_their_numbers_with_their_own_login(bot: Harness) -> None:
    """A card's read of the owner's numbers spends the owner's own budget when they signed
    in, not the administrator's Light budget that every other card shares."""
    from tests.helpers.sign_in import connect, tokens_of

    await live(bot)
    await connect(bot, "alice")
    await bot.command("alice", "/switchboard", "calls on")
    own = tokens_of(bot, ALICE_EXT)
    assert own

    def light_reads(tokens: set[str]) -> int:
        seen = bot._rc_app.buckets._seen
        return sum(
            len(t)
            for (bearer, group), t in seen.items()
            if group == "Light" and bearer.removeprefix("Bearer ") in tokens
        )

    before = light_reads(own)
    _, card = await ring_alice(bot)
    assert "Forward to my Mobile" in str(card.args["blocks"])
    assert light_reads(own) > before  # her numbers were read with her own token
