"""Each overlay and the services that use them, with a fixed clock (no `datetime.now()`):
what they write depends only on the clock they are given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.destinations import DestinationPolicy
from bot.domain.schedule import Override
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.quick_forward.forward_all import ForwardAllOverlay
from bot.providers.ringcentral.quick_forward.legacy import LegacyRuleOverlay
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord
from tests.helpers.rc import ALICE, wired

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CAROL = "2263490004"  # on the new call-handling model in the seeded company


def line(line_id: str) -> LinkRecord:
    return LinkRecord("U1", RINGCENTRAL, line_id, "102", "Alice", "admin")


def toggle_of(applied_object: str, written: object, snapshot: object = None) -> ToggleRecord:
    return ToggleRecord(
        1,
        "U1",
        "ringcentral:x",
        "rc",
        "forward",
        "+14155550123",
        applied_object,
        snapshot,
        written,
        "active",
        None,
        1,
        NOON,
    )


async def test_legacy_overlay_writes_a_range_from_its_clock(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        overlay = LegacyRuleOverlay(rc.client, clock=lambda: NOON)
        until = NOON + timedelta(hours=2)
        applied = await overlay.apply(line(ALICE), "forward", "+14155550123", until, by="U1")
        rule = rc.emulator.emulator_state.extensions[int(ALICE)].rules_v1[applied.provider_object]
        assert rule["schedule"]["ranges"] == [
            {"from": "2026-12-01T11:59:00Z", "to": "2026-12-01T14:00:00Z"}
        ]
        during = await overlay.status(line(ALICE), None, NOON + timedelta(hours=1))
        after = await overlay.status(line(ALICE), None, NOON + timedelta(hours=3))
        assert (during.mode, during.target) == ("forward", "+14155550123")
        assert after.mode == "normal"
        assert (
            await overlay.revert(
                line(ALICE), toggle_of(applied.provider_object, applied.written), by="U1"
            )
            == "restored"
        )


async def test_new_model_overlay_snapshots_and_restores(sqlite_url: str) -> None:
    async with wired(sqlite_url, socket=False) as rc:
        overlay = ForwardAllOverlay(rc.client, clock=lambda: NOON)
        before = rc.emulator.emulator_state.extensions[int(CAROL)]
        applied = await overlay.apply(
            line(CAROL), "forward", "+33611223344", NOON + timedelta(hours=1), by="U1"
        )
        status = await overlay.status(line(CAROL), None, NOON + timedelta(minutes=30))
        assert (status.mode, status.target) == ("forward", "+33611223344")
        toggle = toggle_of(applied.provider_object, applied.written, applied.snapshot)
        assert await overlay.revert(line(CAROL), toggle, by="U1") == "restored"
        assert (await overlay.status(line(CAROL), None, NOON)).mode != "forward"
        assert before is rc.emulator.emulator_state.extensions[int(CAROL)]


def test_destination_policy_is_a_pure_rule() -> None:
    policy = DestinationPolicy(region="DE", allowed_countries=[])
    assert policy.number("030 1234567") == "+49301234567"  # a local number, read in DE


def test_overrides_are_plain_values() -> None:
    override = Override("U1", NOON, NOON + timedelta(hours=2))
    assert override.end - override.start == timedelta(hours=2)
