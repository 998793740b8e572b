"""How the v2 forward-all-calls state's schedule is read: Daily, Weekly and Range alike
(https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/states-and-rules;
the OpenAPI description's CommDailyTrigger, CommWeeklyTrigger, CommRangeTrigger)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.providers.ringcentral.quick_forward.forward_all import _active_now_or_later, _window_now

TUESDAY_NOON = datetime(2026, 12, 1, 12, 0)  # naive: the user's local time


def state(*triggers: dict[str, Any]) -> dict[str, Any]:
    return {
        "enabled": True,
        "conditions": [{"type": "Schedule", "schedule": {"triggers": list(triggers)}}],
    }


def daily(start: str, end: str) -> dict[str, Any]:
    return {"triggerType": "Daily", "startTime": start, "endTime": end}


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        (daily("00:00:00", "23:59:59"), None),  # the state's default: all day, no end
        (daily("09:00:00", "18:00:00"), datetime(2026, 12, 1, 18, 0)),
        (daily("18:00:00", "23:00:00"), False),
        (daily("22:00:00", "13:00:00"), datetime(2026, 12, 1, 13, 0)),  # over midnight
        (
            {
                "triggerType": "Weekly",
                "ranges": {"tuesday": [{"startTime": "08:00:00", "endTime": "17:30:00"}]},
            },
            datetime(2026, 12, 1, 17, 30),
        ),
        (
            {
                "triggerType": "Weekly",
                "ranges": {"monday": [{"startTime": "00:00:00", "endTime": "23:59:59"}]},
            },
            False,
        ),
        (
            {
                "triggerType": "Range",
                "ranges": [
                    {"startDateTime": "2026-12-01T11:00:00", "endDateTime": "2026-12-01T15:00:00"}
                ],
            },
            datetime(2026, 12, 1, 15, 0),
        ),
        (
            {
                "triggerType": "Range",
                "ranges": [
                    {"startDateTime": "2026-11-01T11:00:00", "endDateTime": "2026-11-02T15:00:00"}
                ],
            },
            False,
        ),
    ],
)
def test_each_trigger_type_is_read(trigger: dict[str, Any], expected: datetime | bool | None) -> None:
    assert _window_now(state(trigger), TUESDAY_NOON) == expected


def test_a_recurring_schedule_is_on_later_and_a_past_range_is_not() -> None:
    assert _active_now_or_later(state(daily("18:00:00", "23:00:00")), TUESDAY_NOON)
    weekly = {
        "triggerType": "Weekly",
        "ranges": {"monday": [{"startTime": "09:00:00", "endTime": "10:00:00"}]},
    }
    assert _active_now_or_later(state(weekly), TUESDAY_NOON)
    past = {
        "triggerType": "Range",
        "ranges": [{"startDateTime": "2026-11-01T11:00:00", "endDateTime": "2026-11-02T15:00:00"}],
    }
    assert not _active_now_or_later(state(past), TUESDAY_NOON)
    assert _active_now_or_later({"enabled": True, "conditions": []}, TUESDAY_NOON)
