"""Call handling: the feature check, legacy answering rules (v1) and comm-handling (v2).

An extension uses one model (the account's, or its own override). The other model's calls
fail, as on the platform where upgraded accounts can't use v1 rules. A v2 PATCH of a
state rule replaces the whole `dispatching`, like a PUT.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard, json_body
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.state import EmulatorState, Extension

V1 = "/restapi/v1.0/account/{account_id}/extension/{extension_id}"
V2_EXT = "/restapi/v2/accounts/{account_id}/extensions/{extension_id}"
V2 = f"{V2_EXT}/comm-handling"
FEATURE = "NewCallHandlingAndForwarding"
# ⚠ The platform's answer to a v1 rule call on an upgraded account is unconfirmed.
WRONG_MODEL = ("CMN-419", "This extension's call handling is managed by the other API version")
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
PATCHABLE_STATES = {"work-hours", "forward-all-calls", "agent", "dnd"}
ACTIONS = {
    "ForwardCalls",
    "UnconditionalForwarding",
    "TakeMessagesOnly",
    "TransferToExtension",
    "PlayAnnouncementOnly",
}


def routes(state: EmulatorState, guard: Guard) -> list[Route]:
    def legacy(request: Request, *, write: bool = False) -> Extension:
        ext = guard.extension(request, write=write)
        if ext.call_handling != "legacy":
            raise Denied(rc.error(400, *WRONG_MODEL))
        return ext

    def modern(request: Request, *, write: bool = False) -> Extension:
        ext = guard.extension(request, write=write)
        if ext.call_handling != "new":
            raise Denied(rc.error(400, *WRONG_MODEL))
        return ext

    def rule_uri(ext: Extension, rule_id: str) -> str:
        return f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/answering-rule/{rule_id}"

    async def features(request: Request) -> Response:
        ext = guard.extension(request)
        wanted = request.query_params.getlist("featureId")
        new = "true" if ext.call_handling == "new" else "false"
        record = {
            "id": FEATURE,
            "available": True,
            "params": [{"name": "isNewBackendAvailable", "value": new}],
        }
        records = [record] if not wanted or FEATURE in wanted else []
        return JSONResponse({"records": records}, headers=rc.limits("Medium"))

    async def list_rules(request: Request) -> Response:
        ext = legacy(request)
        kinds = request.query_params.getlist("type")
        found = [r for r in ext.rules_v1.values() if not kinds or r["type"] in kinds]
        records = [{**r, "uri": rule_uri(ext, r["id"])} for r in found]
        uri = f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/answering-rule"
        return JSONResponse(rc.page(uri, records, 1, 100, len(records)), headers=rc.limits("Medium"))

    async def read_rule(request: Request) -> Response:
        ext = legacy(request)
        rule = _rule(ext, request)
        return JSONResponse({**rule, "uri": rule_uri(ext, rule["id"])}, headers=rc.limits("Light"))

    async def create_rule(request: Request) -> Response:
        ext = legacy(request, write=True)
        rule = _validated_custom_rule(await json_body(request))
        rule["id"] = state.next_id()
        ext.rules_v1[rule["id"]] = rule
        return JSONResponse({**rule, "uri": rule_uri(ext, rule["id"])}, headers=rc.limits("Medium"))

    async def update_rule(request: Request) -> Response:
        """updateAnsweringRule (PUT): the fields given replace the rule's; a custom rule stays valid."""
        ext = legacy(request, write=True)
        rule = _rule(ext, request)
        body = await json_body(request)
        merged = {**rule, **{k: v for k, v in body.items() if k not in ("id", "uri", "type")}}
        if rule["type"] == "Custom":
            merged = {**_validated_custom_rule(merged), "id": rule["id"]}
        ext.rules_v1[rule["id"]] = merged
        return JSONResponse({**merged, "uri": rule_uri(ext, rule["id"])}, headers=rc.limits("Medium"))

    async def delete_rule(request: Request) -> Response:
        ext = legacy(request, write=True)
        rule = _rule(ext, request)
        if rule["type"] != "Custom":
            raise Denied(rc.error(400, "CMN-101", "Only custom rules can be deleted", "ruleId"))
        del ext.rules_v1[rule["id"]]
        return Response(status_code=204, headers=rc.limits("Medium"))

    async def list_states(request: Request) -> Response:
        ext = modern(request)
        records = list(ext.states_v2.values())
        return JSONResponse(
            {"records": records, "paging": {"page": 1, "perPage": 100}}, headers=rc.limits("Medium")
        )

    async def read_state(request: Request) -> Response:
        return JSONResponse(_state(modern(request), request), headers=rc.limits("Medium"))

    async def patch_state(request: Request) -> Response:
        ext = modern(request, write=True)
        current = _state(ext, request)
        if current["id"] not in PATCHABLE_STATES:
            raise Denied(rc.error(400, "CMN-101", "This state can't be changed", "stateId"))
        body = await json_body(request)
        conditions = _conditions(body["conditions"]) if "conditions" in body else None
        if "enabled" in body:  # applied only once the whole request is valid
            current["enabled"] = bool(body["enabled"])
        if conditions is not None:
            current["conditions"] = conditions
        return JSONResponse(current, headers=rc.limits("Medium"))

    async def list_state_rules(request: Request) -> Response:
        ext = modern(request)
        records = [_with_state(ext, r) for r in ext.state_rules_v2.values()]
        return JSONResponse(
            {"records": records, "paging": {"page": 1, "perPage": 100}}, headers=rc.limits("Medium")
        )

    async def read_state_rule(request: Request) -> Response:
        ext = modern(request)
        return JSONResponse(_with_state(ext, _state_rule(ext, request)), headers=rc.limits("Medium"))

    async def patch_state_rule(request: Request) -> Response:
        ext = modern(request, write=True)
        rule = _state_rule(ext, request)
        body = await json_body(request)
        dispatching = body.get("dispatching")
        if not isinstance(dispatching, dict) or not dispatching.get("actions"):
            raise Denied(rc.error(400, "CMN-101", "Parameter [dispatching] is required", "dispatching"))
        _check_dispatching(dispatching)
        _check_state_dispatching_type(rule["id"], dispatching)
        rule["dispatching"] = dispatching  # a PATCH here replaces the whole object
        return JSONResponse(_with_state(ext, rule), headers=rc.limits("Medium"))

    async def call_flip_numbers(request: Request) -> Response:
        """Upgraded extensions only: "This API is only working with the new Communication
        Handling flow" (the spec's readCallFlipSettings); the migration guide moves flip
        numbers here from v1 /forwarding-number:
        https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/migration-guide"""
        ext = modern(request)
        records = [
            {
                "id": n.id,
                "phoneNumber": n.phone,
                "type": "PhoneLine" if n.type == "PhoneLine" else "External",
                "label": n.label,
                "flipNumber": n.flip,
            }
            for n in ext.forwarding
            if n.flip
        ]
        return JSONResponse({"records": records}, headers=rc.limits("Light"))

    interaction = _interaction_routes(state, modern)
    return [
        *interaction,
        Route(f"{V2_EXT}/call-flip-numbers", rc.guarded(call_flip_numbers), methods=["GET"]),
        Route(f"{V1}/features", rc.guarded(features), methods=["GET"]),
        Route(f"{V1}/answering-rule", rc.guarded(list_rules), methods=["GET"]),
        Route(f"{V1}/answering-rule", rc.guarded(create_rule), methods=["POST"]),
        Route(f"{V1}/answering-rule/{{rule_id}}", rc.guarded(read_rule), methods=["GET"]),
        Route(f"{V1}/answering-rule/{{rule_id}}", rc.guarded(update_rule), methods=["PUT"]),
        Route(f"{V1}/answering-rule/{{rule_id}}", rc.guarded(delete_rule), methods=["DELETE"]),
        Route(f"{V2}/states", rc.guarded(list_states), methods=["GET"]),
        Route(f"{V2}/states/{{state_id}}", rc.guarded(read_state), methods=["GET"]),
        Route(f"{V2}/states/{{state_id}}", rc.guarded(patch_state), methods=["PATCH"]),
        Route(f"{V2}/voice/state-rules", rc.guarded(list_state_rules), methods=["GET"]),
        Route(f"{V2}/voice/state-rules/{{state_id}}", rc.guarded(read_state_rule), methods=["GET"]),
        Route(f"{V2}/voice/state-rules/{{state_id}}", rc.guarded(patch_state_rule), methods=["PATCH"]),
    ]


def _rule(ext: Extension, request: Request) -> dict[str, Any]:
    rule = ext.rules_v1.get(request.path_params["rule_id"])
    if rule is None:
        raise Denied(rc.error(404, "CMN-102", "Resource for parameter [ruleId] is not found"))
    return rule


def _state(ext: Extension, request: Request) -> dict[str, Any]:
    found = ext.states_v2.get(request.path_params["state_id"])
    if found is None:
        raise Denied(rc.error(404, "CMN-102", "Resource for parameter [stateId] is not found"))
    return found


def _state_rule(ext: Extension, request: Request) -> dict[str, Any]:
    found = ext.state_rules_v2.get(request.path_params["state_id"])
    if found is None:
        raise Denied(rc.error(404, "CMN-102", "Resource for parameter [stateId] is not found"))
    return found


def _with_state(ext: Extension, rule: dict[str, Any]) -> dict[str, Any]:
    return {**rule, "state": ext.states_v2[rule["id"]]}


def _conditions(raw: object) -> list[dict[str, Any]]:
    """The spec's CommStateConditionsRequest: exactly one condition (minItems 1, maxItems 1);
    a Schedule has at least one trigger, each Daily (startTime, endTime), Weekly (ranges by
    weekday) or Range (ranges, each with an endDateTime); a State names work-hours or
    after-hours. Anything else is refused, naming `conditions`."""

    def invalid() -> Denied:
        return Denied(rc.error(400, "CMN-101", "Parameter [conditions] value is invalid", "conditions"))

    if not isinstance(raw, list) or len(raw) != 1 or not isinstance(raw[0], dict):
        raise invalid()
    condition = raw[0]
    if condition.get("type") == "State":
        if (condition.get("state") or {}).get("id") not in ("work-hours", "after-hours"):
            raise invalid()
        return raw
    triggers = (condition.get("schedule") or {}).get("triggers")
    if condition.get("type") != "Schedule" or not isinstance(triggers, list) or not triggers:
        raise invalid()
    for trigger in triggers:
        kind = trigger.get("triggerType") if isinstance(trigger, dict) else None
        if kind == "Daily" and _times(trigger):
            continue
        if kind == "Weekly" and isinstance(trigger.get("ranges"), dict):
            days = trigger["ranges"].values()
            if all(isinstance(day, list) and all(_times(r) for r in day) for day in days):
                continue
        if kind == "Range" and isinstance(trigger.get("ranges"), list) and trigger["ranges"]:
            for window in trigger["ranges"]:
                if not isinstance(window, dict) or not window.get("endDateTime"):
                    raise invalid()
                for key in ("startDateTime", "endDateTime"):
                    if key in window:  # Range datetimes carry no time zone: the user's zone applies
                        window[key] = str(window[key])[:19]
            continue
        raise invalid()
    return raw


def _times(window: object) -> bool:
    """startTime and endTime as hh:mm:ss (the spec's CommDailyTrigger and CommWeeklyRange)."""
    if not isinstance(window, dict):
        return False
    try:
        for key in ("startTime", "endTime"):
            value = str(window[key])
            if len(value) != len("00:00:00"):
                return False
            time.fromisoformat(value)
    except (KeyError, ValueError):
        return False
    return True


def _validated_custom_rule(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("type") != "Custom" or not body.get("name"):
        raise Denied(
            rc.error(400, "CMN-101", "Parameters [type] Custom and [name] are required", "name")
        )
    action = body.get("callHandlingAction", "ForwardCalls")
    if action not in ACTIONS:
        raise Denied(
            rc.error(
                400, "CMN-101", "Parameter [callHandlingAction] value is invalid", "callHandlingAction"
            )
        )
    if action == "UnconditionalForwarding" and not body.get("unconditionalForwarding", {}).get(
        "phoneNumber"
    ):
        raise Denied(
            rc.error(
                400,
                "CMN-101",
                "Parameter [unconditionalForwarding] is required",
                "unconditionalForwarding",
            )
        )
    if action == "ForwardCalls" and "forwarding" in body:
        _check_forwarding(body["forwarding"])
    keys = ("name", "schedule", "callers", "calledNumbers", "unconditionalForwarding")
    rule: dict[str, Any] = {
        key: body[key] for key in (*keys, "forwarding", "voicemail", "missedCall") if key in body
    }
    rule.update(type="Custom", enabled=bool(body.get("enabled", True)), callHandlingAction=action)
    return rule


def _check_forwarding(forwarding: object) -> None:
    """ForwardingInfoCreateRuleRequest (OpenAPI): `ringingMode` Sequentially|Simultaneously,
    `rules[{index, ringCount, forwardingNumbers[{id|phoneNumber}]}]`; a call queue's custom
    rule forwards to external numbers (`ForwardCalls`, RingCentral's call-queue guide,
    https://developers.ringcentral.com/guide/voice/call-routing/manual/callqueue-answering-rules)."""
    if not isinstance(forwarding, dict):
        raise _refuse("Parameter [forwarding] value is invalid", "forwarding")
    if forwarding.get("ringingMode", "Sequentially") not in ("Sequentially", "Simultaneously"):
        raise _refuse("Parameter [ringingMode] value is invalid", "ringingMode")
    rules = forwarding.get("rules")
    if not isinstance(rules, list) or not rules:
        raise _refuse("Parameter [forwarding.rules] is required", "rules")
    indexes = []
    for rule in rules:
        index, count = (rule.get(k) if isinstance(rule, dict) else None for k in ("index", "ringCount"))
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (index, count)):
            raise _refuse("Parameters [index] and [ringCount] must be positive integers", "ringCount")
        numbers = rule.get("forwardingNumbers")
        if not isinstance(numbers, list) or not numbers:
            raise _refuse("Parameter [forwardingNumbers] is required", "forwardingNumbers")
        for number in numbers:
            phone = str(number.get("phoneNumber", "")) if isinstance(number, dict) else ""
            if not (isinstance(number, dict) and (number.get("id") or E164.match(phone))):
                raise _refuse("Parameter [phoneNumber] value is invalid", "phoneNumber")
        indexes.append(index)
    if len(set(indexes)) != len(indexes):
        raise _refuse("Parameter [index] values must be unique", "index")


# The spec's CommDispatchingRequest: the action types, and the target types of a terminating action.
ACTION_TYPES = {
    "PlayConnectingMessageAction",
    "PlayConnectingPromptAction",
    "PlayWelcomePromptAction",
    "ScreeningAction",
    "RingGroupAction",
    "RingAlwaysGroupAction",
    "TerminatingAction",
}
TERMINATING_TARGETS = {
    "ExtensionTerminatingTarget",
    "PhoneNumberTerminatingTarget",
    "PlayAnnouncementTerminatingTarget",
    "VoiceMailTerminatingTarget",
    "CloudConnectorTerminatingTarget",
}


def _check_dispatching(dispatching: dict[str, Any]) -> None:
    """Refuse what the spec doesn't allow, naming it, instead of storing and echoing it."""
    for action in dispatching.get("actions") or []:
        kind = action.get("type") if isinstance(action, dict) else None
        if kind not in ACTION_TYPES:
            raise Denied(
                rc.error(400, "CMN-101", f"Parameter [type] value [{kind}] is not allowed", "type")
            )
        if kind != "TerminatingAction":
            continue
        targets = action.get("targets")
        if not isinstance(targets, list) or not targets:
            raise Denied(rc.error(400, "CMN-101", "Parameter [targets] is required", "targets"))
        for target in targets:
            target_kind = target.get("type") if isinstance(target, dict) else None
            if target_kind not in TERMINATING_TARGETS:
                raise Denied(
                    rc.error(
                        400, "CMN-101", f"Parameter [type] value [{target_kind}] is not allowed", "type"
                    )
                )


# -- Custom (interaction) rules on upgraded accounts, and what each rule may dispatch -------
#
# RingCentral's guide to call handling rules
# (https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/call-handling-rules):
# forward-all-calls and DND take only "Terminate"; business hours and agent "RingAtOnce" /
# "RingInOrder"; after hours and interaction (custom) rules all three. In a ringing rule the
# "AllMobileRingTarget" and "AllDesktopRingTarget" groups "are mandatory and cannot be
# omitted" (disable them instead); `duration` is the ring time in seconds; a TerminatingAction
# must always include the "VoiceMailTerminatingTarget", and `ringingTargetType` and
# `terminatingTargetType` "are required". Interaction rules: OpenAPI createVoiceInteractionRule
# (201, `displayName`, `enabled`, `conditions` minItems 1, `dispatching` required), Medium.

STATE_DISPATCHING = {
    "forward-all-calls": {"Terminate"},
    "dnd": {"Terminate"},
    "agent": {"RingAtOnce", "RingInOrder"},
    "work-hours": {"RingAtOnce", "RingInOrder"},
    "after-hours": {"RingAtOnce", "RingInOrder", "Terminate"},
}
RINGING = {"RingAtOnce", "RingInOrder"}
MANDATORY_RING_TARGETS = {"AllMobileRingTarget", "AllDesktopRingTarget"}
INTERACTION = f"{V2}/voice/interaction-rules"


def _refuse(message: str, parameter: str) -> Denied:
    return Denied(rc.error(400, "CMN-101", message, parameter))


def _check_state_dispatching_type(state_id: str, dispatching: dict[str, Any]) -> None:
    allowed = STATE_DISPATCHING.get(state_id, set())
    if dispatching.get("type") not in allowed:
        kind = dispatching.get("type")
        raise _refuse(f"Parameter [dispatching.type] value [{kind}] is not allowed", "type")


def _check_ringing_dispatching(dispatching: dict[str, Any]) -> None:
    """A ringing rule: mandatory app groups, each group's duration and targets, the one
    TerminatingAction with its voicemail target and both target types."""
    actions = [a for a in dispatching.get("actions") or [] if isinstance(a, dict)]
    groups = [a for a in actions if a.get("type") == "RingGroupAction"]
    present = {t.get("type") for g in groups for t in g.get("targets") or [] if isinstance(t, dict)}
    if not present >= MANDATORY_RING_TARGETS:
        raise _refuse("Ring targets [AllMobileRingTarget, AllDesktopRingTarget] are required", "targets")
    for group in groups:
        duration = group.get("duration")
        if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
            raise _refuse("Parameter [duration] is required", "duration")
        if not isinstance(group.get("enabled"), bool) or not group.get("targets"):
            raise _refuse("Parameters [enabled] and [targets] are required", "enabled")
        for target in group["targets"]:
            if target.get("type") == "PhoneNumberRingTarget" and not (
                target.get("destination") or {}
            ).get("phoneNumber"):
                raise _refuse("Parameter [destination] is required", "destination")
    terminating = [a for a in actions if a.get("type") == "TerminatingAction"]
    if len(terminating) != 1:
        raise _refuse("One [TerminatingAction] is required", "actions")
    _check_terminating(terminating[0])


def _check_terminating(action: dict[str, Any]) -> None:
    kinds = {t.get("type") for t in action.get("targets") or [] if isinstance(t, dict)}
    if "VoiceMailTerminatingTarget" not in kinds:
        raise _refuse("Target [VoiceMailTerminatingTarget] is required", "targets")
    for key in ("ringingTargetType", "terminatingTargetType"):
        if action.get(key) not in kinds:
            raise _refuse(f"Parameter [{key}] must name one of the targets", key)


def _interaction_rule(body: dict[str, Any]) -> dict[str, Any]:
    for key in ("displayName", "enabled", "conditions", "dispatching"):
        if key not in body:
            raise _refuse(f"Parameter [{key}] is required", key)
    if not isinstance(body["conditions"], list) or not body["conditions"]:
        raise _refuse("Parameter [conditions] value is invalid", "conditions")
    dispatching = body["dispatching"]
    if not isinstance(dispatching, dict) or not dispatching.get("actions"):
        raise _refuse("Parameter [dispatching] is required", "dispatching")
    if dispatching.get("type") not in {"RingAtOnce", "RingInOrder", "Terminate"}:
        raise _refuse("Parameter [dispatching.type] value is invalid", "type")
    _check_dispatching(dispatching)
    if dispatching["type"] in RINGING:
        _check_ringing_dispatching(dispatching)
    return {
        "displayName": str(body["displayName"]),
        "enabled": bool(body["enabled"]),
        "conditions": _interaction_conditions(body["conditions"]),
        "dispatching": dispatching,
    }


def _interaction_conditions(raw: list[Any]) -> list[dict[str, Any]]:
    for condition in raw:
        if not isinstance(condition, dict) or condition.get("type") not in (
            "Schedule",
            "State",
            "Interaction",
        ):
            raise _refuse("Parameter [conditions] value is invalid", "conditions")
        for trigger in (condition.get("schedule") or {}).get("triggers", []):
            for window in trigger.get("ranges", []):
                for key in ("startDateTime", "endDateTime"):
                    window[key] = str(window.get(key, ""))[:19]  # no zone: the user's applies
    return raw


def _interaction_routes(state: EmulatorState, modern: Any) -> list[Route]:
    def found(ext: Extension, request: Request) -> dict[str, Any]:
        rule = ext.interaction_rules_v2.get(request.path_params["rule_id"])
        if rule is None:
            raise Denied(rc.error(404, "CMN-102", "Resource for parameter [ruleId] is not found"))
        return rule

    async def list_rules(request: Request) -> Response:
        ext = modern(request)
        records = list(ext.interaction_rules_v2.values())
        body = {"records": records, "paging": {"page": 1, "perPage": 100}}
        return JSONResponse(body, headers=rc.limits("Medium"))

    async def create(request: Request) -> Response:
        ext = modern(request, write=True)
        rule = {"id": state.next_id(), **_interaction_rule(await json_body(request))}
        ext.interaction_rules_v2[rule["id"]] = rule
        return JSONResponse(rule, status_code=201, headers=rc.limits("Medium"))

    async def read(request: Request) -> Response:
        return JSONResponse(found(modern(request), request), headers=rc.limits("Medium"))

    async def remove(request: Request) -> Response:
        ext = modern(request, write=True)
        del ext.interaction_rules_v2[found(ext, request)["id"]]
        return Response(status_code=204, headers=rc.limits("Medium"))

    return [
        Route(INTERACTION, rc.guarded(list_rules), methods=["GET"]),
        Route(INTERACTION, rc.guarded(create), methods=["POST"]),
        Route(f"{INTERACTION}/{{rule_id}}", rc.guarded(read), methods=["GET"]),
        Route(f"{INTERACTION}/{{rule_id}}", rc.guarded(remove), methods=["DELETE"]),
    ]
