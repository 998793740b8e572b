"""Call handling: the feature check, legacy answering rules (v1) and comm-handling (v2).

An extension uses one model (the account's, or its own override). The other model's calls
fail, as on the platform where upgraded accounts can't use v1 rules. A v2 PATCH of a
state rule replaces the whole `dispatching`, like a PUT.
"""

from __future__ import annotations

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

    return [
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
    rule: dict[str, Any] = {
        key: body[key]
        for key in ("name", "schedule", "callers", "calledNumbers", "unconditionalForwarding")
        if key in body
    }
    rule.update(type="Custom", enabled=bool(body.get("enabled", True)), callHandlingAction=action)
    return rule


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
