"""Where would a call to this extension go right now? Follows the rules the way RingCentral
does (custom rules with date ranges over business hours; forward-all-calls over DND over
interaction rules over work hours), so tests can check the effect of a toggle and not only
the stored objects.

A rule that rings numbers in order (v1 `ForwardCalls` with `ringingMode: Sequentially`, v2
`RingInOrder`) is read as the order, each number with its ring time, then where an
unanswered call ends: v1 rings are about 5 s each and the list ends in the rule's voicemail
or its `missedCall` action; v2 `duration` is in seconds and the call ends at the
`TerminatingAction`'s `ringingTargetType` ("No Answer" forwarding). Sources:
https://developers.ringcentral.com/guide/voice/call-routing/manual/user-answering-rules and
https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/call-handling-rules
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.devkit.ringcentral.state import Extension

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


SECONDS_A_RING = 5  # "each ring equals to 5 seconds" (RingCentral's call-queue guide)


@dataclass(frozen=True)
class Routing:
    action: str  # "ring", "forward", "voicemail" or "ring-in-order"
    to: str | None = None
    because: str = ""
    order: tuple[tuple[str, int], ...] = ()  # ring-in-order: (number, seconds) one after another
    then: Routing | None = None  # ring-in-order: where a call nobody answered goes


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
    forwarding = rule.get("forwarding") or {}
    if action == "ForwardCalls" and forwarding.get("ringingMode") == "Sequentially":
        steps = sorted(
            (r for r in forwarding.get("rules", []) if r.get("enabled", True)),
            key=lambda r: int(r["index"]),
        )
        order = tuple(
            (str(n.get("phoneNumber")), int(step["ringCount"]) * SECONDS_A_RING)
            for step in steps
            for n in step.get("forwardingNumbers", [])
            if n.get("phoneNumber")
        )
        if order:
            return Routing("ring-in-order", because=because, order=order, then=_v1_missed(rule))
    if action == "UnconditionalForwarding":
        return Routing("forward", rule.get("unconditionalForwarding", {}).get("phoneNumber"), because)
    if action == "TakeMessagesOnly":
        return Routing("voicemail", None, because)
    return Routing("ring", None, because)


def _v1_missed(rule: dict[str, Any]) -> Routing:
    """The end of a forwarding list: the rule's voicemail, or its `missedCall` action when
    voicemail is off (MissedCallInfo: "Returned only if `enabled` parameter of a voicemail is
    set to 'false'", RingCentral's OpenAPI)."""
    if (rule.get("voicemail") or {}).get("enabled", True):
        return Routing("voicemail", None, "nobody answered")
    missed = rule.get("missedCall") or {}
    if missed.get("actionType") == "ConnectToExternalNumber":
        number = (missed.get("externalNumber") or {}).get("phoneNumber")
        return Routing("forward", number, "nobody answered")
    if missed.get("actionType") == "ConnectToExtension":
        return Routing("transfer", (missed.get("extension") or {}).get("id"), "nobody answered")
    return Routing("disconnect", None, "nobody answered")


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
    for rule in ext.interaction_rules_v2.values():
        if rule.get("enabled") and _condition_holds(rule.get("conditions", []), local):
            return _v2_action(rule, f"interaction rule {rule.get('displayName')}")
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
    if rule["dispatching"].get("type") == "RingInOrder":
        order = tuple(
            (str(t["destination"]["phoneNumber"]), int(a.get("duration") or 0))
            for a in actions
            if a.get("type") == "RingGroupAction" and a.get("enabled")
            for t in a.get("targets", [])
            if t.get("type") == "PhoneNumberRingTarget"
        )
        then = _v2_terminating(action, "ringingTargetType", "nobody answered")
        return Routing("ring-in-order", because=because, order=order, then=then)
    return _v2_terminating(action, "terminatingTargetType", because)


def _v2_terminating(action: dict[str, Any], which: str, because: str) -> Routing:
    live = action.get(which)
    mode = "Ringing" if which == "ringingTargetType" else "Terminating"
    targets: list[dict[str, Any]] = [t for t in action.get("targets", []) if t.get("type") == live]
    target = next((t for t in targets if t.get("dispatchingType") == mode), None)
    target = target or next(iter(targets), {})
    if live == "PhoneNumberTerminatingTarget":
        return Routing("forward", target.get("destination", {}).get("phoneNumber"), because)
    if live == "VoiceMailTerminatingTarget":
        return Routing("voicemail", None, because)
    return Routing("ring", None, because)
