"""Where would a call to this extension go right now? Follows the rules the way RingCentral
does (custom rules with date ranges over business hours; forward-all-calls over DND over
work hours), so tests can check the effect of a toggle and not only the stored objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.devkit.ringcentral.state import Extension

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Routing:
    action: str  # "ring", "forward" or "voicemail"
    to: str | None = None
    because: str = ""


def effective_routing(ext: Extension, now: datetime) -> Routing:
    local = now.astimezone(ZoneInfo(ext.timezone))
    return _legacy(ext, local) if ext.call_handling == "legacy" else _modern(ext, local)


def _legacy(ext: Extension, local: datetime) -> Routing:
    for rule in ext.rules_v1.values():
        if (
            rule["type"] == "Custom"
            and rule.get("enabled")
            and _in_ranges(rule.get("schedule", {}), local)
        ):
            return _v1_action(rule, f"custom rule {rule.get('name')}")
    business = ext.rules_v1.get("business-hours-rule", {})
    hours = business.get("schedule", {}).get("weeklyRanges", {})
    if any(w["from"] <= local.strftime("%H:%M") < w["to"] for w in hours.get(DAYS[local.weekday()], [])):
        return _v1_action(business, "business hours")
    return _v1_action(ext.rules_v1.get("after-hours-rule", {}), "after hours")


def _v1_action(rule: dict[str, Any], because: str) -> Routing:
    action = rule.get("callHandlingAction", "ForwardCalls")
    if action == "UnconditionalForwarding":
        return Routing("forward", rule.get("unconditionalForwarding", {}).get("phoneNumber"), because)
    if action == "TakeMessagesOnly":
        return Routing("voicemail", None, because)
    return Routing("ring", None, because)


def _in_ranges(schedule: dict[str, Any], local: datetime) -> bool:
    ranges = schedule.get("ranges") or []
    return any(_parse(r["from"], local) <= local < _parse(r["to"], local) for r in ranges)


def _parse(text: str, local: datetime) -> datetime:
    """ISO 8601; without an offset, the user's zone (as RingCentral reads it)."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=local.tzinfo) if parsed.tzinfo is None else parsed


def _modern(ext: Extension, local: datetime) -> Routing:
    fac = ext.states_v2["forward-all-calls"]
    if fac["enabled"] and _condition_holds(fac.get("conditions", []), local):
        return _v2_action(ext.state_rules_v2["forward-all-calls"], "forward all calls")
    if ext.states_v2["dnd"]["enabled"]:
        return Routing("voicemail", None, "do not disturb")
    return Routing("ring", None, "work hours")


def _condition_holds(conditions: list[dict[str, Any]], local: datetime) -> bool:
    """No condition: always. A schedule: any of its triggers covers the moment (naive local
    times): Daily (every day, startTime-endTime), Weekly (that weekday's ranges) or Range."""
    if not conditions:
        return True
    naive = local.replace(tzinfo=None)
    for trigger in conditions[0].get("schedule", {}).get("triggers", []):
        kind = trigger.get("triggerType", "Range")
        if kind == "Daily" and _daily(trigger, naive):
            return True
        if kind == "Weekly":
            today = trigger.get("ranges", {}).get(DAYS[naive.weekday()], [])
            if any(_daily(window, naive) for window in today):
                return True
        if kind != "Range":
            continue
        for window in trigger.get("ranges", []):
            start = datetime.fromisoformat(window.get("startDateTime", "0001-01-01T00:00:00")[:19])
            end = datetime.fromisoformat(window["endDateTime"][:19])
            if start <= naive < end:
                return True
    return False


def _daily(window: dict[str, Any], naive: datetime) -> bool:
    start, end = str(window["startTime"])[:8], str(window["endTime"])[:8]
    now = naive.strftime("%H:%M:%S")
    return start <= now <= end if start <= end else (now >= start or now <= end)


def _v2_action(rule: dict[str, Any], because: str) -> Routing:
    actions: list[dict[str, Any]] = rule["dispatching"]["actions"]
    action = next((a for a in actions if a.get("type") == "TerminatingAction"), {})
    live = action.get("terminatingTargetType")
    targets: list[dict[str, Any]] = action.get("targets", [])
    target = next((t for t in targets if t.get("type") == live), {})
    if live == "PhoneNumberTerminatingTarget":
        return Routing("forward", target.get("destination", {}).get("phoneNumber"), because)
    if live == "VoiceMailTerminatingTarget":
        return Routing("voicemail", None, because)
    return Routing("ring", None, because)
