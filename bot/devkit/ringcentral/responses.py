"""Response bodies in RingCentral's shapes (validated against the OpenAPI spec in tests)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.devkit.ringcentral.state import EmulatorState, Extension

MAX_PER_PAGE = 1000
GROUP_LIMITS = {"Light": 50, "Medium": 40, "Heavy": 10, "Auth": 5}
Handler = Callable[[Request], Awaitable[Response]]


class Denied(Exception):
    """Raised anywhere in a handler: the request ends with this response."""

    def __init__(self, response: Response) -> None:
        self.response = response


def guarded(handler: Handler) -> Handler:
    """Turn a `Denied` into its RingCentral-shaped answer."""

    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except Denied as denied:
            return denied.response

    return run


def paging_params(request: Request) -> tuple[int, int]:
    """`page` ≥ 1 and `perPage` 1…1000 (the spec's minimum and maximum), each named when wrong."""
    found = []
    for name, default, top in (("page", "1", None), ("perPage", "100", MAX_PER_PAGE)):
        raw = request.query_params.get(name, default)
        value = int(raw) if raw.isdigit() else 0
        if value < 1 or (top is not None and value > top):
            raise Denied(error(400, "CMN-101", f"Parameter [{name}] value is invalid", name))
        found.append(value)
    return found[0], found[1]


def limits(group: str) -> dict[str, str]:
    limit = GROUP_LIMITS[group]
    return {
        "X-Rate-Limit-Group": group,
        "X-Rate-Limit-Limit": str(limit),
        "X-Rate-Limit-Remaining": str(limit - 1),
        "X-Rate-Limit-Window": "60",
    }


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
