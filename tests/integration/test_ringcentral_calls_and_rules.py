"""Call control and call handling through the client, checked by the emulator's routing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.devkit.ringcentral.routing import effective_routing
from bot.providers.errors import NotFound, Rejected, Unavailable
from bot.providers.ringcentral.handling import Model
from tests.helpers.rc import ALICE, BOB, wired

CAROL = "2263490004"


async def test_presence_finds_alices_call_and_transfer_moves_it(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        calls = await rc.client.calls.active_calls(ALICE)
        assert len(calls) == 1
        call = calls[0]
        assert (call.from_name, call.telephony_status) == ("Jordan Lee", "CallConnected")
        assert await rc.client.calls.active_calls(BOB) == []
        party = await rc.client.calls.transfer(
            call.telephony_session_id, call.party_id, {"extensionNumber": "103"}
        )
        assert party.status.code == "Disconnected"
        assert await rc.client.calls.moved(call.telephony_session_id, call.party_id)
        assert await rc.client.calls.active_calls(ALICE) == []
        session = rc.emulator.emulator_state.sessions[call.telephony_session_id]
        assert session.moves == [
            {"kind": "transfer", "party": call.party_id, "extensionNumber": "103", "to": "Bob Chen"}
        ]
        with pytest.raises(Rejected) as caught:  # 409: already moved
            await rc.client.calls.transfer(
                call.telephony_session_id, call.party_id, {"phoneNumber": "+14155550100"}
            )
        assert caught.value.status == 409


async def test_transfer_needs_exactly_one_target(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        call = (await rc.client.calls.active_calls(ALICE))[0]
        with pytest.raises(ValueError, match="exactly one"):
            await rc.client.calls.transfer(
                call.telephony_session_id, call.party_id, {"phoneNumber": "+1", "voicemail": ALICE}
            )
        assert rc.emulator.faults.count("POST", "/transfer") == 0


async def test_transfer_is_never_resent_after_a_5xx(sqlite_url: str) -> None:
    async with wired(sqlite_url) as rc:
        call = (await rc.client.calls.active_calls(ALICE))[0]
        rc.emulator.faults.add("POST /transfer=503")
        with pytest.raises(Unavailable):
            await rc.client.calls.transfer(
                call.telephony_session_id, call.party_id, {"voicemail": ALICE}
            )
        assert rc.emulator.faults.count("POST", "/transfer") == 1
        assert not await rc.client.calls.moved(call.telephony_session_id, call.party_id)


async def test_flip_to_a_forwarding_number_by_its_flip_digit(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        call = (await rc.client.calls.active_calls(ALICE))[0]
        with pytest.raises(Rejected):
            await rc.client.calls.flip(call.telephony_session_id, call.party_id, "7")
        await rc.client.calls.flip(call.telephony_session_id, call.party_id, "1")
        session = rc.emulator.emulator_state.sessions[call.telephony_session_id]
        assert session.moves[-1]["to"] == "+14155550123"


async def test_a_user_token_cannot_move_someone_elses_call(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False, as_email="bob@example.com") as rc:
        with pytest.raises(Rejected) as caught:
            await rc.client.calls.active_calls(ALICE)
        assert caught.value.status == 403


async def test_missing_session_is_not_found(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        with pytest.raises(NotFound):
            await rc.client.calls.session("s-gone")


async def test_feature_check_tells_the_two_models_apart(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        assert await rc.client.handling.model(ALICE) is Model.LEGACY
        assert await rc.client.handling.model(CAROL) is Model.NEW
        await rc.client.handling.model(ALICE)
        assert rc.emulator.faults.count("GET", "/features") == 2  # cached per extension


async def test_legacy_custom_rule_forwards_within_its_range_then_is_deleted(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        now = datetime.now(UTC)
        ext = rc.emulator.emulator_state.extensions[int(ALICE)]
        rule = await rc.client.handling.create_custom_rule(
            ALICE,
            {
                "type": "Custom",
                "name": "Switchboard: forward until later",
                "enabled": True,
                "schedule": {
                    "ranges": [
                        {"from": _iso(now - timedelta(minutes=1)), "to": _iso(now + timedelta(hours=2))}
                    ]
                },
                "callHandlingAction": "UnconditionalForwarding",
                "unconditionalForwarding": {"phoneNumber": "+14155550123"},
            },
        )
        assert effective_routing(ext, now).to == "+14155550123"
        assert effective_routing(ext, now + timedelta(hours=3)).action != "forward"
        names = [r["name"] for r in await rc.client.handling.list_rules(ALICE)]
        assert "Switchboard: forward until later" in names
        await rc.client.handling.delete_rule(ALICE, rule["id"])
        await rc.client.handling.delete_rule(ALICE, rule["id"])  # 404 = done
        assert effective_routing(ext, now).action != "forward"
        with pytest.raises(Rejected):  # v2 calls fail on a legacy extension
            await rc.client.handling.get_state(ALICE, "forward-all-calls")


async def test_modern_forward_all_state_with_a_range(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        ext = rc.emulator.emulator_state.extensions[int(CAROL)]
        rule = await rc.client.handling.get_state_rule(CAROL, "forward-all-calls")
        dispatching = rule["dispatching"]
        action = dispatching["actions"][0]
        action["targets"].append(
            {
                "type": "PhoneNumberTerminatingTarget",
                "name": "Switchboard",
                "destination": {"phoneNumber": "+33142685300"},
                "dispatchingType": "Terminating",
            }
        )
        action["terminatingTargetType"] = "PhoneNumberTerminatingTarget"
        await rc.client.handling.put_state_rule_dispatching(CAROL, "forward-all-calls", dispatching)
        now = datetime.now(UTC)
        local = now.astimezone(ZoneInfo("Europe/Paris")).replace(tzinfo=None)
        window = {
            "startDateTime": _naive(local - timedelta(minutes=1)),
            "endDateTime": _naive(local + timedelta(hours=2)),
        }
        condition = {
            "type": "Schedule",
            "schedule": {"triggers": [{"triggerType": "Range", "ranges": [window]}]},
        }
        state = await rc.client.handling.patch_state(
            CAROL, "forward-all-calls", {"enabled": True, "conditions": [condition]}
        )
        assert state["enabled"] is True
        assert effective_routing(ext, now).to == "+33142685300"
        later = effective_routing(ext, now + timedelta(hours=3))
        assert later.action == "ring"  # still enabled, but the range is over
        with pytest.raises(Rejected):  # v1 rules fail on an upgraded extension
            await rc.client.handling.list_rules(CAROL)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _naive(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
