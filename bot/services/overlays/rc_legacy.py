"""Legacy RingCentral accounts: a custom answering rule with a date range, ours to delete.

Custom rules outrank business/after-hours rules, which stay untouched; the range makes it
expire on its own even if the bot is down.

A rotation's escalation is the same kind of rule with `callHandlingAction: ForwardCalls`
and `forwarding.ringingMode: Sequentially`: the on-call number for `ringCount` rings, then
the backup's (a ring is about 5 s), then where the hotline's own business-hours rule sent
calls (its external number through `missedCall`, else the hotline's voicemail). A call
queue's custom rule may forward to external numbers (RingCentral's call-queue guide,
https://developers.ringcentral.com/guide/voice/call-routing/manual/callqueue-answering-rules).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.domain.clock import now
from bot.domain.lines import owned_by_rotation
from bot.providers.errors import NotFound
from bot.providers.ringcentral.client import RingCentralClient
from bot.services.overlays import Applied, Kind, Ladder, Reverted, Status
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

PREFIX = "Switchboard:"
OPEN_ENDED = timedelta(days=365)  # "until I turn it off" still needs a range end
SECONDS_A_RING = 5


def ring_count(seconds: int) -> int:
    return max(1, round(seconds / SECONDS_A_RING))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class LegacyRuleOverlay:
    model = "rc-legacy"

    def __init__(self, client: RingCentralClient, clock: Callable[[], datetime] = now) -> None:
        self._rc = client
        self._clock = clock

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied:
        start = self._clock() - timedelta(minutes=1)
        end = ends_at or start + OPEN_ENDED
        rule: dict[str, Any] = {
            "type": "Custom",
            "name": f"{PREFIX} {kind} until {_iso(end)} ({by})",
            "enabled": True,
            "schedule": {"ranges": [{"from": _iso(start), "to": _iso(end)}]},
        }
        if kind == "forward":
            rule["callHandlingAction"] = "UnconditionalForwarding"
            rule["unconditionalForwarding"] = {"phoneNumber": target}
        else:
            rule["callHandlingAction"] = "TakeMessagesOnly"
        made = await self._rc.handling.create_custom_rule(line.line_id, rule)
        return Applied(provider_object=str(made["id"]), written=_essence(made))

    async def apply_ladder(
        self, line: LinkRecord, ladder: Ladder, ends_at: datetime | None, *, by: str
    ) -> Applied:
        start = self._clock() - timedelta(minutes=1)
        end = ends_at or start + OPEN_ENDED
        count = ring_count(ladder.ring_seconds)
        steps = [(1, ladder.first, "On call"), (2, ladder.backup, "Backup")]
        rule: dict[str, Any] = {
            "type": "Custom",
            "name": f"{PREFIX} escalate until {_iso(end)} ({by})",
            "enabled": True,
            "schedule": {"ranges": [{"from": _iso(start), "to": _iso(end)}]},
            "callHandlingAction": "ForwardCalls",
            "forwarding": {
                "notifyMySoftPhones": False,
                "ringingMode": "Sequentially",
                "rules": [
                    {
                        "index": index,
                        "ringCount": count,
                        "enabled": True,
                        "forwardingNumbers": [{"phoneNumber": number, "label": label}],
                    }
                    for index, number, label in steps
                ],
            },
            **await self._afterwards(line),
        }
        made = await self._rc.handling.create_custom_rule(line.line_id, rule)
        return Applied(provider_object=str(made["id"]), written=_essence(made))

    async def _afterwards(self, line: LinkRecord) -> dict[str, Any]:
        """Where a call nobody answered goes: where the business-hours rule sent it."""
        base = await self._rc.handling.get_rule(line.line_id, "business-hours-rule")
        if base.get("callHandlingAction") == "UnconditionalForwarding":
            number = (base.get("unconditionalForwarding") or {}).get("phoneNumber")
            if number:
                return {
                    "voicemail": {"enabled": False},
                    "missedCall": {
                        "actionType": "ConnectToExternalNumber",
                        "externalNumber": {"phoneNumber": number},
                    },
                }
        if base.get("callHandlingAction") == "TransferToExtension":
            extension = ((base.get("transfer") or {}).get("extension") or {}).get("id")
            if extension:
                return {
                    "voicemail": {"enabled": False},
                    "missedCall": {"actionType": "ConnectToExtension", "extension": {"id": extension}},
                }
        return {"voicemail": {"enabled": True, "recipient": {"id": line.line_id}}}

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted:
        try:
            current = await self._rc.handling.get_rule(line.line_id, toggle.provider_object)
        except NotFound:
            return "gone"
        if _essence(current) != toggle.written and not owned_by_rotation(line.slack_user_id):
            return "changed"  # edited in RingCentral's app meanwhile: not ours to delete any more
        await self._rc.handling.delete_rule(line.line_id, toggle.provider_object)
        return "restored"

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status:
        """Evaluates the custom rules' ranges at `now`, not only their enabled flag."""
        for rule in await self._rc.handling.list_rules(line.line_id, type="Custom"):
            window = next(
                (w for w in (rule.get("schedule") or {}).get("ranges") or [] if _covers(w, now)), None
            )
            if not rule.get("enabled") or window is None:
                continue
            ours = toggle is not None and str(rule.get("id")) == toggle.provider_object
            until = toggle.ends_at if toggle is not None and ours else _parse(window["to"])
            action = rule.get("callHandlingAction")
            if action == "UnconditionalForwarding":
                target = (rule.get("unconditionalForwarding") or {}).get("phoneNumber")
                return Status("forward", target, until, ours)
            if action == "TakeMessagesOnly":
                return Status("voicemail", None, until, ours)
            steps = _steps(rule)
            if action == "ForwardCalls" and len(steps) >= 2:
                (first, rings), (backup, _) = steps[0], steps[1]
                seconds = rings * SECONDS_A_RING
                return Status("escalate", first, until, ours, backup=backup, ring_seconds=seconds)
        return Status("normal")


def _steps(rule: dict[str, Any]) -> list[tuple[str, int]]:
    """A sequential forwarding list as (number, rings), in order."""
    forwarding = rule.get("forwarding") or {}
    if forwarding.get("ringingMode") != "Sequentially":
        return []
    ordered = sorted(forwarding.get("rules") or [], key=lambda r: int(r.get("index") or 0))
    return [
        (str(n.get("phoneNumber")), int(step.get("ringCount") or 0))
        for step in ordered
        for n in step.get("forwardingNumbers") or []
    ]


def _parse(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _covers(window: dict[str, str], now: datetime) -> bool:
    return _parse(window["from"]) <= now < _parse(window["to"])


def _essence(rule: dict[str, Any]) -> dict[str, Any]:
    """The parts that say where calls go and when: what we compare before deleting (an
    escalation adds its steps and missed-call action; a forward's essence is as it was)."""
    essence: dict[str, Any] = {
        "enabled": rule.get("enabled"),
        "action": rule.get("callHandlingAction"),
        "to": (rule.get("unconditionalForwarding") or {}).get("phoneNumber"),
        "ranges": (rule.get("schedule") or {}).get("ranges"),
    }
    if steps := _steps(rule):
        essence["steps"] = [list(step) for step in steps]  # as it reads back from JSON
    if rule.get("missedCall"):
        essence["missed"] = rule["missedCall"]
    return essence
