"""Response bodies in RingCentral's shapes (validated against the OpenAPI spec in tests)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from bot.providers.ringcentral.emulator.state import EmulatorState, Extension

BASE = "https://platform.ringcentral.com/restapi/v1.0"


def error(status: int, code: str, message: str, parameter: str | None = None) -> JSONResponse:
    item: dict[str, Any] = {"errorCode": code, "message": message}
    if parameter:
        item["parameterName"] = parameter
    body = {"errorCode": code, "message": message, "errors": [item]}
    return JSONResponse(body, status_code=status)


def oauth_error(status: int, error_name: str, code: str, message: str) -> JSONResponse:
    body = {
        "error": error_name,
        "error_description": message,
        "errors": [{"errorCode": code, "message": message}],
    }
    return JSONResponse(body, status_code=status)


def extension_summary(state: EmulatorState, ext: Extension, *, full: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uri": f"{BASE}/account/{state.account_id}/extension/{ext.id}",
        "id": ext.id,
        "extensionNumber": ext.number,
        "name": ext.name,
        "type": ext.type,
        "status": ext.status,
        "contact": {"email": ext.email, "company": "Example Corp"},
    }
    if ext.first_name:
        body["contact"].update(firstName=ext.first_name, lastName=ext.last_name)
    if full:
        body["permissions"] = {
            "admin": {"enabled": ext.admin},
            "internationalCalling": {"enabled": True},
        }
        body["account"] = {
            "uri": f"{BASE}/account/{state.account_id}",
            "id": str(state.account_id),
        }
        body["regionalSettings"] = {
            "timezone": {"id": "58", "name": ext.timezone, "description": ext.timezone, "bias": "0"}
        }
    return body


def page(
    uri: str, records: list[dict[str, Any]], page_no: int, per_page: int, total: int
) -> dict[str, Any]:
    total_pages = max(1, -(-total // per_page))
    start = (page_no - 1) * per_page
    body: dict[str, Any] = {
        "uri": f"{uri}?page={page_no}&perPage={per_page}",
        "records": records,
        "paging": {
            "page": page_no,
            "totalPages": total_pages,
            "perPage": per_page,
            "totalElements": total,
        },
        "navigation": {
            "firstPage": {"uri": f"{uri}?page=1&perPage={per_page}"},
            "lastPage": {"uri": f"{uri}?page={total_pages}&perPage={per_page}"},
        },
    }
    if records:
        body["paging"].update(pageStart=start, pageEnd=start + len(records) - 1)
    if page_no < total_pages:
        body["navigation"]["nextPage"] = {"uri": f"{uri}?page={page_no + 1}&perPage={per_page}"}
    if page_no > 1:
        body["navigation"]["previousPage"] = {"uri": f"{uri}?page={page_no - 1}&perPage={per_page}"}
    return body
