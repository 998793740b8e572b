"""GET /calendar/<secret>.ics: a private on-call calendar feed (text/calendar, RFC 5545).

An unknown or reset address is 404 and says nothing more; the secret is never logged.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.runtime import Runtime

SECRET = re.compile(r"^([A-Za-z0-9_-]{16,64})\.ics$")


def route(runtime: Runtime) -> Route:
    async def feed(request: Request) -> Response:
        found = SECRET.match(str(request.path_params.get("name", "")))
        body = await runtime.rotations.calendars.ics(found.group(1)) if found else None
        if body is None:
            return PlainTextResponse("Not found", status_code=404)
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return Route("/calendar/{name}", feed, methods=["GET"])
