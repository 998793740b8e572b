"""Issue 28: escalation lives in the phone system: the hotline rings the on-call person, then
the backup, then where its calls went before. Read from the emulator's routing, which
follows sequential rules (legacy) and RingInOrder custom rules (upgraded) the way
RingCentral does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.devkit.ringcentral.routing import Routing, effective_routing
from tests.helpers.emulated import HOTLINE_EXT
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation, on_call_and_next
from tests.helpers.providers import ringcentral_client

ALICE_MOBILE, BOB_MOBILE, ERIN_OTHER = "+14155550123", "+12125550142", "+13125550177"
NUMBERS = {user_id("alice"): ALICE_MOBILE, user_id("bob"): BOB_MOBILE, user_id("erin"): ERIN_OTHER}


async def expected_order(
    bot: Harness, seconds: int, at: datetime | None = None, backup: str | None = None
) -> tuple[tuple[str, int], ...]:
    first, following = await on_call_and_next(bot, at)
    second = backup if backup and backup != first else following
    return ((NUMBERS[first], seconds), (NUMBERS[second], seconds))


def hotline(bot: Harness, at: datetime | None = None) -> Routing:
    return effective_routing(bot.rc.extensions[HOTLINE_EXT], at or datetime.now(UTC))


def rules_json(bot: Harness) -> str:
    ext = bot.rc.extensions[HOTLINE_EXT]
    return json.dumps(
        [ext.rules_v1, ext.states_v2, ext.state_rules_v2, ext.interaction_rules_v2], sort_keys=True
    )


async def rotation_with_three(bot: Harness) -> None:
    members = [user_id("alice"), user_id("bob"), user_id("erin")]
    await create_rotation(bot, members=members)
    await bot.command("erin", "/oncall", f"number {ERIN_OTHER}")  # erin has no Mobile number
    await bot.runtime.handoffs.tick()


async def test_escalate_to_next_rings_in_order_on_a_legacy_hotline(bot: Harness) -> None:
    before = rules_json(bot)
    await rotation_with_three(bot)
    first, following = await on_call_and_next(bot)
    assert (hotline(bot).action, hotline(bot).to) == ("forward", NUMBERS[first])  # alone

    refused = await bot.command("alice", "/oncall", "escalate support to next")
    assert "Only Switchboard admins" in refused.text
    reply = await bot.command("admin", "/oncall", "escalate support to next after 30s")
    assert f"it rings the next person in the schedule (now <@{following}>)" in reply.text

    routing = hotline(bot)
    assert routing.action == "ring-in-order"
    assert routing.order == ((NUMBERS[first], 30), (NUMBERS[following], 30))  # 6 rings x 5 s
    assert routing.then == Routing("voicemail", None, "nobody answered")  # as before: voicemail
    rule = next(r for r in bot.rc.extensions[HOTLINE_EXT].rules_v1.values() if r["type"] == "Custom")
    assert rule["callHandlingAction"] == "ForwardCalls"
    assert rule["forwarding"]["ringingMode"] == "Sequentially"
    assert [r["ringCount"] for r in rule["forwarding"]["rules"]] == [6, 6]

    # Handoffs keep it current: a day later the next person is on call, backed by the next.
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    await bot.runtime.handoffs.tick(tomorrow)
    assert hotline(bot, tomorrow).order == await expected_order(bot, 30, tomorrow)
    assert hotline(bot, tomorrow).order[0][0] == NUMBERS[following]

    # Overrides keep it current too: whoever takes over is rung first, then the next other.
    taker = "erin" if first != user_id("erin") else "alice"
    await bot.command(taker, "/oncall", "take for 2h")
    assert hotline(bot).order[0] == (NUMBERS[user_id(taker)], 30)
    assert hotline(bot).order == await expected_order(bot, 30)
    await bot.command(taker, "/oncall", "release")
    assert hotline(bot).order == ((NUMBERS[first], 30), (NUMBERS[following], 30))

    # `off`: the on-call person alone again, quietly; delete: the hotline exactly as before.
    off = await bot.command("admin", "/oncall", "escalate support to off")
    assert "rings the on-call person alone again" in off.text
    assert (hotline(bot).action, hotline(bot).to) == ("forward", NUMBERS[first])
    assert not any("outside Switchboard" in t for t in off.texts())
    await bot.command("admin", "/oncall", "escalate support to next")
    await bot.command("admin", "/oncall", "delete support")
    assert rules_json(bot) == before


async def test_escalate_to_a_named_member_on_an_upgraded_hotline(bot: Harness) -> None:
    bot.rc.extensions[HOTLINE_EXT].call_handling = "new"
    before = rules_json(bot)
    await rotation_with_three(bot)
    first, _ = await on_call_and_next(bot)
    assert hotline(bot).to == NUMBERS[first]  # forward-all-calls on the upgraded model

    erin = user_id("erin")
    await bot.command("admin", "/oncall", f"escalate support to <@{erin}> after 15s")
    routing = hotline(bot)
    assert routing.action == "ring-in-order"
    assert routing.order == await expected_order(bot, 15, backup=erin)  # duration in seconds
    assert routing.then is not None
    assert routing.then.action == "voicemail"  # where the work-hours rule ends a call
    ext = bot.rc.extensions[HOTLINE_EXT]
    assert not ext.states_v2["forward-all-calls"]["enabled"]  # FAC given back: it can't ring in order
    [rule] = ext.interaction_rules_v2.values()
    assert rule["dispatching"]["type"] == "RingInOrder"

    # The named backup on call herself: the next other member backs her up.
    await bot.command("erin", "/oncall", "take for 1h")
    assert hotline(bot).order[0] == (ERIN_OTHER, 15)
    assert hotline(bot).order == await expected_order(bot, 15)

    await bot.command("admin", "/oncall", "delete support")
    assert rules_json(bot) == before


async def test_drift_checks_read_the_order_back(bot: Harness) -> None:
    await rotation_with_three(bot)
    await bot.command("admin", "/oncall", "escalate support to next")
    ext = bot.rc.extensions[HOTLINE_EXT]
    rule = next(r for r in ext.rules_v1.values() if r["type"] == "Custom")
    del ext.rules_v1[rule["id"]]  # someone removed it in RingCentral
    bot.slack.drain()
    later = datetime.now(UTC) + timedelta(
        seconds=bot.runtime.settings.switchboard_drift_check_seconds + 5
    )
    assert await bot.runtime.handoffs.tick(later) == 1
    assert hotline(bot, later).order == await expected_order(bot, 20, later)
    assert any("changed outside Switchboard" in c.args["text"] for c in bot.slack.of("chat.postMessage"))


async def test_the_rotations_own_rule_edited_in_ringcentral_is_replaced_not_stacked(
    bot: Harness,
) -> None:
    await rotation_with_three(bot)
    await bot.command("admin", "/oncall", "escalate support to next")
    ext = bot.rc.extensions[HOTLINE_EXT]
    rule = next(r for r in ext.rules_v1.values() if r["type"] == "Custom")
    rule["forwarding"]["rules"][0]["ringCount"] = 12  # someone edited it in RingCentral
    drift = timedelta(seconds=bot.runtime.settings.switchboard_drift_check_seconds + 5)
    later = datetime.now(UTC) + drift
    assert await bot.runtime.handoffs.tick(later) == 1
    assert len([r for r in ext.rules_v1.values() if r["type"] == "Custom"]) == 1
    assert hotline(bot, later).order == await expected_order(bot, 20, later)
    assert await bot.runtime.handoffs.tick(later + drift) == 0  # settled: nothing more to do


async def test_escalation_refuses_what_it_cannot_do(bot: Harness) -> None:
    await rotation_with_three(bot)
    for text, reason in (
        ("escalate support to next after 5s", "10 to 60 seconds"),
        ("escalate support to next after 90s", "10 to 60 seconds"),
        (f"escalate support to <@{user_id('carol')}>", "isn't a member"),
        ("escalate support", "Usage: `/oncall escalate"),
        ("escalate nope to next", "There is no rotation"),
    ):
        reply = await bot.command("admin", "/oncall", text)
        assert reason in reply.text, text
    rule = next(r for r in bot.rc.extensions[HOTLINE_EXT].rules_v1.values() if r["type"] == "Custom")
    assert rule["callHandlingAction"] == "UnconditionalForwarding"  # nothing changed


async def test_the_emulator_refuses_ringing_in_order_where_ringcentral_does(bot: Harness) -> None:
    """Forward-all-calls takes only "Terminate"; a ringing custom rule needs the app groups."""
    from bot.providers.errors import Rejected

    client = ringcentral_client(bot.runtime)
    assert client is not None
    bot.rc.extensions[HOTLINE_EXT].call_handling = "new"
    ext_id = str(HOTLINE_EXT)
    rule = await client.handling.get_state_rule(ext_id, "forward-all-calls")
    ringing = {**rule["dispatching"], "type": "RingInOrder"}
    try:
        await client.handling.put_state_rule_dispatching(ext_id, "forward-all-calls", ringing)
        raise AssertionError("forward-all-calls accepted RingInOrder")
    except Rejected:
        pass
    terminating = rule["dispatching"]["actions"][-1]
    bare = {
        "displayName": "x",
        "enabled": True,
        "conditions": [{"type": "Schedule", "schedule": {"triggers": []}}],
        "dispatching": {
            "type": "RingInOrder",
            "actions": [
                {
                    "type": "RingGroupAction",
                    "enabled": True,
                    "duration": 20,
                    "targets": [
                        {"type": "PhoneNumberRingTarget", "destination": {"phoneNumber": ALICE_MOBILE}}
                    ],
                },
                {**terminating, "ringingTargetType": "VoiceMailTerminatingTarget"},
            ],
        },
    }
    try:
        await client.handling.create_interaction_rule(ext_id, bare)
        raise AssertionError("a ringing rule without the app groups was accepted")
    except Rejected:
        pass


async def test_a_call_the_backup_answered_names_them_and_tells_the_on_call_person(
    bot: Harness,
) -> None:
    from tests.helpers.live_calls import CALLER, cards_to, live

    await live(bot)
    await rotation_with_three(bot)
    await bot.command("admin", "/oncall", "escalate support to next")
    first, following = await on_call_and_next(bot)
    bot.slack.drain()
    phone = bot._rc_app.phone
    session = await phone.ring(HOTLINE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    await phone.answer(session.id, by=NUMBERS[following])  # rung second, after 20 s
    await bot.runtime.tasks.wait_idle()
    card = cards_to(bot, "C0ONCALL")
    assert [c.method for c in card] == ["chat.postMessage", "chat.update"]
    assert f"answered by <@{following}> (backup)" in str(card[1].args["blocks"])
    told = [
        c.args["text"]
        for c in bot.slack.of("chat.postMessage")
        if c.args["channel"] == first and "You missed a call" in c.args["text"]
    ]
    assert len(told) == 1
    assert f"<@{following}> (backup) answered it" in told[0]
    assert "from Pat Caller `(650) 555-0142`;" in told[0]  # the one number formatter

    # Answered by the on-call person: nobody is told anything.
    bot.slack.drain()
    again = await phone.ring(HOTLINE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    await phone.answer(again.id, by=NUMBERS[first])
    await bot.runtime.tasks.wait_idle()
    assert "backup" not in str(cards_to(bot, "C0ONCALL")[-1].args["blocks"])
    assert not [c for c in bot.slack.of("chat.postMessage") if "You missed" in c.args["text"]]


async def test_a_backup_who_is_away_is_not_rung(bot: Harness) -> None:
    """Time off skips a person in every rotation, as the backup too: the next one who isn't
    away is rung instead, and the backup comes back when the time off is cancelled."""
    await rotation_with_three(bot)
    first, following = await on_call_and_next(bot)
    third = next(m for m in NUMBERS if m not in (first, following))
    name = {user_id(n): n for n in ("alice", "bob", "erin")}
    await bot.command("admin", "/oncall", "escalate support to next")
    assert hotline(bot).order == ((NUMBERS[first], 20), (NUMBERS[following], 20))

    away = await bot.command(name[following], "/oncall", "away today to tomorrow")
    assert "You're away from" in away.text
    assert hotline(bot).order == ((NUMBERS[first], 20), (NUMBERS[third], 20))
    named = await bot.command("admin", "/oncall", f"escalate support to <@{following}>")
    assert "then goes where its calls went before" in named.text
    assert hotline(bot).order == ((NUMBERS[first], 20), (NUMBERS[third], 20))

    await bot.command(name[following], "/oncall", "away cancel")
    assert hotline(bot).order == ((NUMBERS[first], 20), (NUMBERS[following], 20))
