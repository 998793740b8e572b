"""The account's and an extension's phone-number lists (listAccountPhoneNumbers, Heavy;
listExtensionPhoneNumbers, Light): every direct number of the seeded company; an
extension's list also holds the company's main number, as RingCentral's does."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard
from bot.devkit.ringcentral.state import EmulatorState, Extension

ACCOUNT = "/restapi/v1.0/account/{account_id}"


def routes(state: EmulatorState, guard: Guard) -> list[Route]:
    def record(ext: Extension, *, own: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "uri": f"{rc.BASE}/account/{state.account_id}/phone-number/{ext.id}0",
            "id": int(f"{ext.id}0"),
            "phoneNumber": ext.direct_number,
            "paymentType": "Local",
            "type": "VoiceFax",
            "usageType": "DirectNumber",
            "status": "Normal",
            "extension": {
                "uri": f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}",
                "id": ext.id,
                "extensionNumber": ext.number,
            },
        }
        if own:
            body["features"] = ["CallerId", "SmsSender"]
        return body

    def listed(request: Request, uri: str, records: list[dict[str, Any]], group: str) -> Response:
        page_no, per_page = rc.paging_params(request)
        chunk = records[(page_no - 1) * per_page : page_no * per_page]
        body = rc.page(uri, chunk, page_no, per_page, len(records))
        return JSONResponse(body, headers=rc.limits(group))

    async def account_numbers(request: Request) -> Response:
        guard.caller(request)
        people = [e for e in state.extensions.values() if e.direct_number]
        records = [record(e, own=False) for e in people]
        return listed(request, f"{rc.BASE}/account/{state.account_id}/phone-number", records, "Heavy")

    def main_number() -> dict[str, Any]:
        return {
            "uri": f"{rc.BASE}/account/{state.account_id}/phone-number/{state.account_id}1",
            "id": int(f"{state.account_id}1"),
            "phoneNumber": state.main_number,
            "paymentType": "Local",
            "type": "VoiceFax",
            "usageType": "MainCompanyNumber",
            "status": "Normal",
            "features": ["CallerId"],
        }

    async def extension_numbers(request: Request) -> Response:
        # "all numbers which are directly mapped to the given extension. Plus the features and
        # company-level numbers that may be used … on behalf of this extension" (OAS
        # listExtensionPhoneNumbers): the company's main number is in every extension's list.
        ext = guard.extension(request)
        records = [record(ext, own=True)] if ext.direct_number else []
        records.append(main_number())
        uri = f"{rc.BASE}/account/{state.account_id}/extension/{ext.id}/phone-number"
        return listed(request, uri, records, "Light")

    return [
        Route(f"{ACCOUNT}/phone-number", rc.guarded(account_numbers), methods=["GET"]),
        Route(
            f"{ACCOUNT}/extension/{{extension_id}}/phone-number",
            rc.guarded(extension_numbers),
            methods=["GET"],
        ),
    ]
