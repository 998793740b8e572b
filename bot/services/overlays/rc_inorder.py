"""Upgraded RingCentral accounts: a rotation's escalation as a custom (interaction) rule.

Forward-all-calls takes only a "Terminate" dispatching, so ringing in order lives in an
interaction rule the bot owns: `RingInOrder` with one `RingGroupAction` per number
(`duration` in seconds), the mandatory app groups switched off, and a `TerminatingAction`
whose `ringingTargetType` says where a call nobody answered goes: where the hotline's
work-hours rule sent it. A `Range` schedule makes it end on its own; revert deletes it, and
only when it still holds what we wrote. Source: RingCentral's guide to call handling rules,
https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/call-handling-rules
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.clock import now
from bot.domain.lines import owned_by_rotation
from bot.errors import Unsupported
from bot.providers.errors import NotFound
from bot.providers.ringcentral.client import RingCentralClient
from bot.services.overlays import Applied, Kind, Ladder, Reverted, Status
from bot.services.overlays.rc_new import ForwardAllOverlay, extension_zone, local_text
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

PREFIX = "Switchboard:"
OPEN_ENDED = timedelta(days=365)
VOICEMAIL = "VoiceMailTerminatingTarget"
APP_GROUPS = ("AllMobileRingTarget", "AllDesktopRingTarget")  # mandatory, switched off


class InOrderOverlay:
    model = "rc-new-ladder"

    def __init__(self, client: RingCentralClient, clock: Callable[[], datetime] = now) -> None:
        self._rc = client
        self._clock = clock
        self._fac = ForwardAllOverlay(client, clock)

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied:
        raise Unsupported("This overlay only rings numbers in order.")

    async def apply_ladder(
        self, line: LinkRecord, ladder: Ladder, ends_at: datetime | None, *, by: str
    ) -> Applied:
        zone = await extension_zone(self._rc, line)
        start = self._clock() - timedelta(minutes=1)
        end = ends_at or start + OPEN_ENDED
        window = {"startDateTime": local_text(start, zone), "endDateTime": local_text(end, zone)}
        groups: list[dict[str, Any]] = [
            {
                "type": "RingGroupAction",
                "enabled": False,
                "targets": [{"type": kind}],
                "duration": ladder.ring_seconds,
            }
            for kind in APP_GROUPS
        ]
        for number in (ladder.first, ladder.backup):
            groups.append(
                {
                    "type": "RingGroupAction",
                    "enabled": True,
                    "targets": [
                        {"type": "PhoneNumberRingTarget", "destination": {"phoneNumber": number}}
                    ],
                    "duration": ladder.ring_seconds,
                }
            )
        rule = {
            "displayName": f"{PREFIX} escalate until {local_text(end, zone)} ({by})",
            "enabled": True,
            "conditions": [
                {
                    "type": "Schedule",
                    "schedule": {"triggers": [{"triggerType": "Range", "ranges": [window]}]},
                }
            ],
            "dispatching": {
                "type": "RingInOrder",
                "actions": [*groups, await self._afterwards(line)],
            },
        }
        made = await self._rc.handling.create_interaction_rule(line.line_id, rule)
        return Applied(provider_object=str(made["id"]), written=_essence(made))

    async def _afterwards(self, line: LinkRecord) -> dict[str, Any]:
        """The work-hours rule's terminating action, used when nobody answers."""
        work = await self._rc.handling.get_state_rule(line.line_id, "work-hours")
        actions: list[dict[str, Any]] = (work.get("dispatching") or {}).get("actions") or []
        found = next((a for a in actions if a.get("type") == "TerminatingAction"), None)
        action: dict[str, Any] = copy.deepcopy(found) if found else {"type": "TerminatingAction"}
        targets: list[dict[str, Any]] = action.setdefault("targets", [])
        if not any(t.get("type") == VOICEMAIL for t in targets):
            targets.append({"type": VOICEMAIL, "name": "Voicemail"})
        live = action.get("ringingTargetType") or action.get("terminatingTargetType") or VOICEMAIL
        action["ringingTargetType"] = live
        action["terminatingTargetType"] = action.get("terminatingTargetType") or live
        return action

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted:
        try:
            current = await self._rc.handling.get_interaction_rule(line.line_id, toggle.provider_object)
        except NotFound:
            return "gone"
        if _essence(current) != toggle.written and not owned_by_rotation(line.slack_user_id):
            return "changed"
        await self._rc.handling.delete_interaction_rule(line.line_id, toggle.provider_object)
        return "restored"

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status:
        """Forward-all-calls outranks custom rules; else the first custom rule in force now."""
        fac = await self._fac.status(line, None, now)
        if fac.mode != "normal":
            return Status(fac.mode, fac.target, fac.until, ours=False)
        zone = await extension_zone(self._rc, line)
        local = now.astimezone(zone).replace(tzinfo=None)
        for rule in await self._rc.handling.list_interaction_rules(line.line_id):
            window = _window(rule, local)
            if not rule.get("enabled") or window is None:
                continue
            ours = toggle is not None and str(rule.get("id")) == toggle.provider_object
            until = window.replace(tzinfo=zone).astimezone(UTC)
            steps = _steps(rule)
            if len(steps) >= 2:
                (first, seconds), (backup, _) = steps[0], steps[1]
                return Status("escalate", first, until, ours, backup=backup, ring_seconds=seconds)
            return Status("forward", None, until, ours=False)  # someone else's custom rule
        return Status("normal")


def _window(rule: dict[str, Any], local: datetime) -> datetime | None:
    """The end of the Range covering `local`, if one does."""
    for condition in rule.get("conditions") or []:
        for trigger in (condition.get("schedule") or {}).get("triggers") or []:
            for window in trigger.get("ranges") or []:
                start = datetime.fromisoformat(str(window["startDateTime"])[:19])
                end = datetime.fromisoformat(str(window["endDateTime"])[:19])
                if start <= local < end:
                    return end
    return None


def _steps(rule: dict[str, Any]) -> list[tuple[str, int]]:
    dispatching = rule.get("dispatching") or {}
    if dispatching.get("type") != "RingInOrder":
        return []
    return [
        (str(t["destination"]["phoneNumber"]), int(a.get("duration") or 0))
        for a in dispatching.get("actions") or []
        if a.get("type") == "RingGroupAction" and a.get("enabled")
        for t in a.get("targets") or []
        if t.get("type") == "PhoneNumberRingTarget"
    ]


def _essence(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "enabled": rule.get("enabled"),
        "conditions": rule.get("conditions"),
        "steps": [list(step) for step in _steps(rule)],
    }
