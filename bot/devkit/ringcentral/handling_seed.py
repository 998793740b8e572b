"""Default call handling of a seeded user, in both models (legacy rules and comm-handling)."""

from __future__ import annotations

import copy
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
GREETING = {"greeting": {"effectiveGreetingType": "Preset", "preset": {"id": "66319"}}}
STATE_NAMES = {
    "work-hours": "Work Hours",
    "after-hours": "After Hours",
    "dnd": "Do not disturb",
    "forward-all-calls": "Forward all calls",
    "agent": "Agent",
    "busy": "Busy",
}


def legacy_rules(forwarding_ids: list[str]) -> dict[str, dict[str, Any]]:
    hours = {day: [{"from": "09:00", "to": "18:00"}] for day in WEEKDAYS}
    return {
        "business-hours-rule": {
            "id": "business-hours-rule",
            "type": "BusinessHours",
            "name": "Business Hours",
            "enabled": True,
            "schedule": {"weeklyRanges": hours},
            "callHandlingAction": "ForwardCalls",
            "forwarding": {
                "notifyMySoftPhones": True,
                "softPhonesRingCount": 1,
                "ringingMode": "Sequentially",
                "rules": [
                    {"index": i + 1, "ringCount": 4, "enabled": True, "forwardingNumbers": [{"id": fid}]}
                    for i, fid in enumerate(forwarding_ids)
                ],
            },
        },
        "after-hours-rule": {
            "id": "after-hours-rule",
            "type": "AfterHours",
            "name": "After Hours",
            "enabled": True,
            "schedule": {"ref": "AfterHours"},
            "callHandlingAction": "TakeMessagesOnly",
        },
    }


# A state's default condition: all day, every day. RingCentral's own sample of the
# forward-all-calls state carries exactly this:
# https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/states-and-rules
ALL_DAY = {
    "type": "Schedule",
    "schedule": {"triggers": [{"triggerType": "Daily", "startTime": "00:00:00", "endTime": "23:59:59"}]},
}


def comm_states() -> dict[str, dict[str, Any]]:
    states: dict[str, dict[str, Any]] = {}
    for state_id, name in STATE_NAMES.items():
        states[state_id] = {
            "id": state_id,
            "displayName": name,
            "enabled": state_id in ("work-hours", "after-hours"),
            "conditions": [copy.deepcopy(ALL_DAY)] if state_id in ("forward-all-calls", "dnd") else [],
        }
    return states


def comm_state_rules() -> dict[str, dict[str, Any]]:
    """State rules; forward-all-calls starts with its voicemail and announcement targets."""
    voicemail = {
        "type": "VoiceMailTerminatingTarget",
        "name": "Voicemail",
        "prompt": copy.deepcopy(GREETING),
    }
    announcement = {
        "type": "PlayAnnouncementTerminatingTarget",
        "name": "Announcement",
        "prompt": copy.deepcopy(GREETING),
        "dispatchingType": "Terminating",
    }
    terminate = {
        "type": "Terminate",
        "actions": [
            {
                "type": "TerminatingAction",
                "targets": [voicemail, announcement],
                "terminatingTargetType": "VoiceMailTerminatingTarget",
            }
        ],
    }
    rules: dict[str, dict[str, Any]] = {}
    for state_id in ("work-hours", "after-hours", "dnd", "forward-all-calls", "agent"):
        rules[state_id] = {
            "id": state_id,
            "displayName": STATE_NAMES[state_id],
            "dispatching": copy.deepcopy(terminate),
        }
    return rules
