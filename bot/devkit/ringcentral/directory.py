"""Extensions: list (filters, paging) and read, as the account API answers them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard
from bot.devkit.ringcentral.state import EmulatorState, Extension

ACCOUNT = "/restapi/v1.0/account/{account_id}"


def routes(state: EmulatorState, guard: Guard) -> list[Route]:
    async def list_extensions(request: Request) -> Response:
        caller = guard.caller(request)
        page_no, per_page = rc.paging_params(request)
        found = sorted(
            (e for e in state.extensions.values() if _matches(e, request)), key=lambda e: e.number
        )
        chunk = found[(page_no - 1) * per_page : page_no * per_page]
        records = [rc.extension_summary(state, e, full=caller.admin) for e in chunk]
        for record in records:
            record.pop("account", None)
            record.pop("regionalSettings", None)
        uri = f"{rc.BASE}/account/{state.account_id}/extension"
        return JSONResponse(
            rc.page(uri, records, page_no, per_page, len(found)), headers=rc.limits("Medium")
        )

    async def read_extension(request: Request) -> Response:
        caller = guard.caller(request)
        raw = request.path_params["extension_id"]
        ext = caller if raw == "~" else state.extensions.get(int(raw)) if raw.isdigit() else None
        if ext is None:
            raise rc.Denied(
                rc.error(404, "CMN-102", "Resource for parameter [extensionId] is not found")
            )
        full = ext.id == caller.id or caller.admin
        return JSONResponse(rc.extension_summary(state, ext, full=full), headers=rc.limits("Light"))

    return [
        Route(f"{ACCOUNT}/extension", rc.guarded(list_extensions), methods=["GET"]),
        Route(f"{ACCOUNT}/extension/{{extension_id}}", rc.guarded(read_extension), methods=["GET"]),
    ]


def _matches(ext: Extension, request: Request) -> bool:
    query = request.query_params
    emails = {e.lower() for e in query.getlist("email")}
    if emails and ext.email.lower() not in emails:
        return False
    if query.get("extensionNumber") and ext.number != query["extensionNumber"]:
        return False
    statuses, types = query.getlist("status"), query.getlist("type")
    if statuses and ext.status not in statuses:
        return False
    return not types or ext.type in types
