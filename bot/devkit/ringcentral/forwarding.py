"""Forwarding numbers: list, get, create, update, delete, with the platform's rules.

Rules from the seeds: a label only counts for type Other; PhoneLine needs a device and a
device can't come with a phone number; a number may not be a direct number of the
account; at most 10 per user. The error codes for these are unconfirmed on the real
platform (docs/providers.md §3): the emulator answers 400 with `errors[].parameterName`, and the
client keys on that, never on the code.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard, json_body
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.state import EmulatorState, Extension, ForwardingNumber

MAX_PER_USER = 10
MAX_LABEL = 60
USER_TYPES = {"Home", "Mobile", "Work", "Other", "PhoneLine"}
ONE_EACH = {"Home", "Mobile", "Work"}  # ⚠ unconfirmed: a second one of these is refused
E164 = re.compile(r"^\+[1-9]\d{7,14}$")
BASE = "/restapi/v1.0/account/{account_id}/extension/{extension_id}/forwarding-number"


def invalid(parameter: str, message: str) -> Denied:
    return Denied(rc.error(400, "CMN-101", message, parameter))


def routes(state: EmulatorState, guard: Guard) -> list[Route]:
    def item(ext: Extension, number: ForwardingNumber) -> dict[str, Any]:
        uri = f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/forwarding-number/{number.id}"
        return number.as_api(uri)

    async def list_numbers(request: Request) -> Response:
        ext = guard.extension(request)
        page_no, per_page = rc.paging_params(request)
        chunk = ext.forwarding[(page_no - 1) * per_page : page_no * per_page]
        uri = f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/forwarding-number"
        body = rc.page(uri, [item(ext, n) for n in chunk], page_no, per_page, len(ext.forwarding))
        return JSONResponse(body, headers=rc.limits("Light"))

    async def read_number(request: Request) -> Response:
        ext = guard.extension(request)
        return JSONResponse(item(ext, _find(ext, request)), headers=rc.limits("Light"))

    async def create_number(request: Request) -> Response:
        ext = guard.extension(request, write=True)
        body = await json_body(request)
        number = _validated_new(state, ext, body)
        ext.forwarding.append(number)
        return JSONResponse(item(ext, number), headers=rc.limits("Medium"))

    async def update_number(request: Request) -> Response:
        ext = guard.extension(request, write=True)
        current = _find(ext, request)
        body = await json_body(request)
        if "device" in body:
            raise invalid("device", "Parameter [device] can't be updated")
        kind = str(body.get("type", current.type))
        phone = str(body.get("phoneNumber", current.phone))
        if current.type == "PhoneLine" and phone != current.phone:
            raise invalid("phoneNumber", "Parameter [phoneNumber] can't be changed for a PhoneLine")
        _check_type_and_phone(state, ext, kind, phone if kind != "PhoneLine" else None, exclude=current)
        current.type, current.phone = kind, phone
        current.label = _label(kind, body.get("label", current.label))
        if "flipNumber" in body:
            current.flip = _flip_digit(ext, body["flipNumber"], exclude=current)
        return JSONResponse(item(ext, current), headers=rc.limits("Medium"))

    async def delete_numbers(request: Request) -> Response:
        """deleteForwardingNumbers: `{"records": [{"id": …}]}`, all found or nothing deleted."""
        ext = guard.extension(request, write=True)
        body = await json_body(request)
        records = body.get("records")
        if not isinstance(records, list) or not records:
            raise invalid("records", "Parameter [records] is required")
        wanted = [str(r.get("id")) if isinstance(r, dict) else "" for r in records]
        found = [n for n in ext.forwarding if n.id in wanted]
        if len(found) != len(set(wanted)):
            raise Denied(
                rc.error(404, "CMN-102", "Resource for parameter [forwardingNumberId] is not found")
            )
        for number in found:
            ext.forwarding.remove(number)
        return Response(status_code=204, headers=rc.limits("Medium"))

    async def delete_number(request: Request) -> Response:
        ext = guard.extension(request, write=True)
        ext.forwarding.remove(_find(ext, request))
        return Response(status_code=204, headers=rc.limits("Medium"))

    one = BASE + "/{number_id}"
    return [
        Route(BASE, rc.guarded(list_numbers), methods=["GET"]),
        Route(BASE, rc.guarded(create_number), methods=["POST"]),
        Route(BASE, rc.guarded(delete_numbers), methods=["DELETE"]),
        Route(one, rc.guarded(read_number), methods=["GET"]),
        Route(one, rc.guarded(update_number), methods=["PUT"]),
        Route(one, rc.guarded(delete_number), methods=["DELETE"]),
    ]


def _find(ext: Extension, request: Request) -> ForwardingNumber:
    wanted = request.path_params["number_id"]
    for number in ext.forwarding:
        if number.id == wanted:
            return number
    raise Denied(rc.error(404, "CMN-102", "Resource for parameter [forwardingNumberId] is not found"))


def _validated_new(state: EmulatorState, ext: Extension, body: dict[str, Any]) -> ForwardingNumber:
    kind = str(body.get("type") or "Other")
    device = body.get("device")
    phone = body.get("phoneNumber")
    if device is not None and phone is not None:
        raise invalid("device", "Parameters [device] and [phoneNumber] can't be specified together")
    if kind == "PhoneLine":
        device_id = str((device or {}).get("id", "")) if isinstance(device, dict) else ""
        if device_id not in ext.devices:
            raise invalid(
                "device", "Parameter [device] is required for PhoneLine and must be one of your devices"
            )
    elif device is not None:
        raise invalid("device", "Parameter [device] is only allowed for type PhoneLine")
    if len(ext.forwarding) >= MAX_PER_USER:
        raise invalid("phoneNumber", f"Maximum number of forwarding numbers ({MAX_PER_USER}) is reached")
    _check_type_and_phone(state, ext, kind, None if kind == "PhoneLine" else phone, exclude=None)
    return ForwardingNumber(
        id=state.next_id(),
        type=kind,
        phone=str(phone or ext.devices.get(str((device or {}).get("id")), "")),
        label=_label(kind, body.get("label")),
        flip=_flip_digit(ext, body["flipNumber"], exclude=None)
        if body.get("flipNumber")
        else _free_flip(ext),
        device_id=str(device["id"]) if kind == "PhoneLine" and isinstance(device, dict) else None,
    )


def _check_type_and_phone(
    state: EmulatorState, ext: Extension, kind: str, phone: object, *, exclude: ForwardingNumber | None
) -> None:
    if kind not in USER_TYPES:
        raise invalid("type", f"Parameter [type] value [{kind}] is not allowed")
    others = [n for n in ext.forwarding if n is not exclude]
    if kind in ONE_EACH and any(n.type == kind for n in others):
        raise invalid("type", f"A forwarding number of type {kind} already exists")
    if phone is None:
        return
    if not isinstance(phone, str) or not E164.match(phone):
        raise invalid("phoneNumber", "Parameter [phoneNumber] value is invalid")
    if phone in state.direct_numbers():
        raise invalid("phoneNumber", "Phone number belongs to an extension of this account")
    if any(n.phone == phone for n in others):
        raise invalid("phoneNumber", "This phone number is already in the forwarding list")


def _label(kind: str, label: object) -> str:
    """Only type Other keeps a label; the others show their type (as the platform does)."""
    if kind == "PhoneLine":
        return str(label or "Desk phone")[:MAX_LABEL]
    if kind != "Other":
        return kind
    text = str(label or "Other").strip()
    if len(text) > MAX_LABEL:
        raise invalid("label", f"Parameter [label] must be at most {MAX_LABEL} characters")
    return text


def _free_flip(ext: Extension) -> str:
    """The lowest free digit 1-9; none (no call flip) for a tenth number."""
    used = {n.flip for n in ext.forwarding}
    return next((str(i) for i in range(1, 10) if str(i) not in used), "")


def _flip_digit(ext: Extension, value: object, *, exclude: ForwardingNumber | None) -> str:
    digit = str(value)
    if digit not in {str(i) for i in range(1, 10)}:
        raise invalid("flipNumber", "Parameter [flipNumber] value must be a digit from 1 to 9")
    if any(n.flip == digit for n in ext.forwarding if n is not exclude):
        raise invalid("flipNumber", f"Flip number {digit} is already used by another number")
    return digit
