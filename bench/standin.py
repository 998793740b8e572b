"""The Slack stand-in as its own process for benchmarks; counts response_url posts."""

from __future__ import annotations

import asyncio
import sys
import time

from starlette.requests import Request
from starlette.responses import JSONResponse

from bench.run import SEEDED
from bot.devkit.shell.standin import SlackStandIn, SlackUser, slack_id_for
from handlers.shared import PROGRESS


async def serve(port: int, people: int = 0) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Route

    standin = SlackStandIn()
    for name in SEEDED:  # the emulator's seeded company (bot/devkit/ringcentral/company.json)
        email = f"{name}@example.com"
        standin.add_user(SlackUser(slack_id_for(email), name, name.title(), email))
    for i in range(people):  # bench.company's people, p{i}@corp.example
        email = f"p{i}@corp.example"
        standin.add_user(SlackUser(slack_id_for(email), f"p{i}", f"Person {i}", email))
    answered = {"count": 0}
    arrived: dict[str, float] = {}  # response id -> when its answer came (time.time())
    texts: dict[str, str] = {}  # response id -> that first answer's body
    progressed: dict[str, float] = {}  # response id -> when a progress line came first

    async def response(request: Request) -> JSONResponse:
        body = await request.body()
        rid = request.path_params["rid"]
        text = body.decode(errors="replace")
        if PROGRESS in text:  # "an answer or a progress line within 2 s": the answer still follows
            progressed.setdefault(rid, time.time())
            return JSONResponse({"ok": True})
        answered["count"] += 1  # answers only
        if rid not in arrived:
            arrived[rid] = time.time()
            texts[rid] = text[:2000]
        return JSONResponse({"ok": True})

    async def answered_at(request: Request) -> JSONResponse:
        rid = request.path_params["rid"]
        return JSONResponse(
            {"at": arrived.get(rid), "text": texts.get(rid), "progress_at": progressed.get(rid)}
        )

    async def api(request: Request) -> JSONResponse:
        return await standin._api(request)

    async def stats(_: Request) -> JSONResponse:
        return JSONResponse(answered)

    app = Starlette(
        routes=[
            Route("/api/{method}", api, methods=["POST", "GET"]),
            Route("/response/{rid}", response, methods=["POST"]),
            Route("/stats", stats, methods=["GET"]),
            Route("/answered/{rid}", answered_at, methods=["GET"]),
        ]
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    await server.serve()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0))
