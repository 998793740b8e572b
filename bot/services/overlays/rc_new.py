"""Upgraded RingCentral accounts: the forward-all-calls state, set from a verbatim snapshot.

Enable: rule before state. Revert: state before rule, and only if both still hold what we
wrote; otherwise the user changed it in RingCentral and we leave their choice alone.
The state has exactly one condition: a Range until the end, or (open-ended) its default
Daily 00:00:00-23:59:59 schedule; Daily, Weekly and Range triggers are read alike
(https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/states-and-rules).
Times carry no zone: they are the user's local time in RingCentral.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.clock import now
from bot.errors import UserError
from bot.providers.ringcentral.client import RingCentralClient
from bot.services.overlays import Applied, Kind, Reverted, Status
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

FAC = "forward-all-calls"
PHONE_TARGET = "PhoneNumberTerminatingTarget"
VOICEMAIL_TARGET = "VoiceMailTerminatingTarget"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALL_DAY = {  # the state's default condition (RingCentral's sample of the forward-all-calls state)
    "type": "Schedule",
    "schedule": {"triggers": [{"triggerType": "Daily", "startTime": "00:00:00", "endTime": "23:59:59"}]},
}
ALREADY_ON = "Forward all calls is already on in RingCentral; turn it off there first (Switchboard won't stack on it)."


class ForwardAllOverlay:
    model = "rc-new"

    def __init__(self, client: RingCentralClient, clock: Callable[[], datetime] = now) -> None:
        self._rc = client
        self._clock = clock

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied:
        state = await self._rc.handling.get_state(line.line_id, FAC)
        rule = await self._rc.handling.get_state_rule(line.line_id, FAC)
        zone = await extension_zone(self._rc, line)
        if state.get("enabled") and _active_now_or_later(
            state, self._clock().astimezone(zone).replace(tzinfo=None)
        ):
            raise UserError(ALREADY_ON)
        snapshot = {"state": _state_part(state), "dispatching": rule["dispatching"]}
        written_rule = await self._rc.handling.put_state_rule_dispatching(
            line.line_id, FAC, _dispatching(rule["dispatching"], kind, target)
        )
        # Exactly one condition (the spec's CommStateConditionsRequest: minItems 1, maxItems 1):
        # a Range until `ends_at`, or the state's own default, all day every day.
        condition = ALL_DAY
        if ends_at is not None:
            start = self._clock().astimezone(zone) - timedelta(minutes=1)
            window = {"startDateTime": local_text(start, zone), "endDateTime": local_text(ends_at, zone)}
            condition = {
                "type": "Schedule",
                "schedule": {"triggers": [{"triggerType": "Range", "ranges": [window]}]},
            }
        written_state = await self._rc.handling.patch_state(
            line.line_id, FAC, {"enabled": True, "conditions": [copy.deepcopy(condition)]}
        )
        written = {"state": _state_part(written_state), "dispatching": written_rule["dispatching"]}
        return Applied(provider_object=FAC, snapshot=snapshot, written=written)

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted:
        state = await self._rc.handling.get_state(line.line_id, FAC)
        rule = await self._rc.handling.get_state_rule(line.line_id, FAC)
        current = {"state": _state_part(state), "dispatching": rule["dispatching"]}
        if current == toggle.snapshot:
            return "gone"
        if current != toggle.written:
            return "changed"
        await self._rc.handling.patch_state(line.line_id, FAC, _patch(toggle.snapshot["state"]))
        await self._rc.handling.put_state_rule_dispatching(
            line.line_id, FAC, toggle.snapshot["dispatching"]
        )
        return "restored"

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status:
        """Evaluates the schedule: an enabled state outside its range forwards nothing."""
        state = await self._rc.handling.get_state(line.line_id, FAC)
        zone = await extension_zone(self._rc, line)
        local = now.astimezone(zone).replace(tzinfo=None)
        window = _window_now(state, local)
        if not state.get("enabled") or window is False:
            return Status("normal")
        rule = await self._rc.handling.get_state_rule(line.line_id, FAC)
        until = window.replace(tzinfo=zone).astimezone(UTC) if isinstance(window, datetime) else None
        ours = (
            toggle is not None and toggle.written and toggle.written.get("state") == _state_part(state)
        )
        live, target = _live_target(rule["dispatching"])
        if live == PHONE_TARGET:
            return Status("forward", target, until, bool(ours))
        if live == VOICEMAIL_TARGET:
            return Status("voicemail", None, until, bool(ours))
        return Status("normal")


async def extension_zone(client: RingCentralClient, line: LinkRecord) -> ZoneInfo:
    """The extension's own time zone (v2 schedules are in local time); UTC when unknown."""
    ext = await client.get_extension(line.line_id)
    name = ext.regional_settings.timezone.name if ext.regional_settings else ""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")  # ⚠ timezone.name assumed to be an IANA id


def local_text(moment: datetime, zone: ZoneInfo) -> str:
    """`moment` as a v2 schedule's local date-time (no offset)."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def _state_part(state: dict[str, Any]) -> dict[str, Any]:
    return {"enabled": state.get("enabled"), "conditions": state.get("conditions", [])}


def _patch(state_part: dict[str, Any]) -> dict[str, Any]:
    """A snapshot written back; `conditions: []` (a snapshot from before the state carried its
    default) can't be sent, so the conditions are then left as they are."""
    return {k: v for k, v in state_part.items() if k != "conditions" or v}


def _triggers(state: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The state's schedule triggers; None when it has no schedule (always on)."""
    conditions = state.get("conditions") or []
    if not conditions or conditions[0].get("type") != "Schedule":
        return None  # ⚠ a State condition (follow work or after hours) is read as always on
    return list((conditions[0].get("schedule") or {}).get("triggers") or [])


def _naive(text: str) -> datetime:
    return datetime.fromisoformat(text[:19])


def _clock_time(text: str) -> time:
    return time.fromisoformat(str(text)[:8])


def _covering(window: dict[str, Any], local: datetime) -> datetime | bool | None:
    """A daily time window (startTime-endTime) on `local`'s day: None if it covers the whole
    day, the end of the window if it covers `local`, else False."""
    start, end = _clock_time(window["startTime"]), _clock_time(window["endTime"])
    if start == time(0) and end >= time(23, 59, 59):
        return None
    now = local.time()
    if start <= end:
        covered = start <= now <= end
        ends = datetime.combine(local.date(), end)
    else:  # over midnight
        covered = now >= start or now <= end
        day = local.date() + timedelta(days=1) if now >= start else local.date()
        ends = datetime.combine(day, end)
    return ends if covered else False


def _window_now(state: dict[str, Any], local: datetime) -> datetime | bool | None:
    """End of the window covering `local`; None if unscheduled or all day (always); False if
    nothing covers it. Daily, Weekly and Range triggers are read alike (a forward-all set in
    RingCentral's own app carries the Daily 00:00:00-23:59:59 default)."""
    triggers = _triggers(state)
    if not triggers:
        return None
    found: list[datetime | bool | None] = []
    for trigger in triggers:
        kind = trigger.get("triggerType")
        if kind == "Range":
            found += [
                _naive(w["endDateTime"])
                for w in trigger.get("ranges", [])
                if _naive(w.get("startDateTime") or "0001-01-01T00:00:00")
                <= local
                < _naive(w["endDateTime"])
            ]
        elif kind == "Daily":
            found.append(_covering(trigger, local))
        elif kind == "Weekly":
            today = (trigger.get("ranges") or {}).get(WEEKDAYS[local.weekday()]) or []
            found += [_covering(window, local) for window in today]
    if any(end is None for end in found):
        return None
    ends = [end for end in found if isinstance(end, datetime)]
    return max(ends) if ends else False


def _active_now_or_later(state: dict[str, Any], local: datetime) -> bool:
    """Whether the state forwards now or will later: a Daily or Weekly schedule recurs."""
    triggers = _triggers(state)
    if not triggers:
        return True
    for trigger in triggers:
        if trigger.get("triggerType") in ("Daily", "Weekly"):
            return True
        if any(_naive(w["endDateTime"]) > local for w in trigger.get("ranges", [])):
            return True
    return False


def _dispatching(original: dict[str, Any], kind: Kind, target: str) -> dict[str, Any]:
    """The snapshot's dispatching with our phone target (or voicemail) as the live one."""
    dispatching = copy.deepcopy(original)
    action = next(a for a in dispatching["actions"] if a.get("type") == "TerminatingAction")
    targets = [t for t in action["targets"] if t.get("type") != PHONE_TARGET]
    if kind == "forward":
        targets.append(
            {
                "type": PHONE_TARGET,
                "name": "Switchboard",
                "destination": {"phoneNumber": target},
                "dispatchingType": "Terminating",
            }
        )
    action["targets"] = targets
    action["terminatingTargetType"] = PHONE_TARGET if kind == "forward" else VOICEMAIL_TARGET
    return dispatching


def _live_target(dispatching: dict[str, Any]) -> tuple[str | None, str | None]:
    actions: list[dict[str, Any]] = dispatching.get("actions", [])
    action = next((a for a in actions if a.get("type") == "TerminatingAction"), {})
    live = action.get("terminatingTargetType")
    targets: list[dict[str, Any]] = action.get("targets", [])
    target = next((t for t in targets if t.get("type") == live), {})
    return live, (target.get("destination") or {}).get("phoneNumber")
