"""The in-process tier reaches Slack as the bot reaches real Slack (tests/helpers/slack_session.py).

The same Web API calls and `response_url` answers, made once with slack_sdk and aiohttp over
a loopback socket (as production makes them) and once through the in-process session, must
arrive as the same requests (method, path, query, Content-Type, Authorization, body bytes)
and be read back the same way, a refusal or an unreadable answer included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from starlette.types import Receive, Scope, Send

from bot.devkit.loopback import LoopbackServer
from bot.slack.respond import Responder
from tests.helpers.network import Network, forget, host_in_process
from tests.helpers.slack_session import InProcessSession

Seen = tuple[str, str, bytes, str | None, str | None, bytes]


class Recorder:
    """Records each request as it arrived and answers as Slack does: JSON, a refusal with
    `ok: false`, or (at /api/broken) an HTML page, as a proxy in the way would."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        path = str(scope["path"])
        self.seen.append(
            (
                scope["method"],
                path,
                scope["query_string"],
                headers.get("content-type"),
                headers.get("authorization"),
                body,
            )
        )
        status, kind, answer = 200, "application/json; charset=utf-8", b'{"ok": true}'
        if path == "/api/users.info":
            answer = b'{"ok": false, "error": "user_not_found"}'
        elif path == "/api/broken":
            status, kind, answer = 502, "text/html", b"<html>bad gateway</html>"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", kind.encode())],
            }
        )
        await send({"type": "http.response.body", "body": answer})


async def _exercise(client: AsyncWebClient, responder: Responder, url: str) -> list[str]:
    """Every shape of request the bot sends, and how each answer was read."""
    read: list[str] = []

    async def attempt(call: Callable[[], Awaitable[Any]]) -> None:
        try:
            answer = await call()
            read.append(repr(getattr(answer, "data", answer)))
        except SlackApiError as error:
            read.append(f"SlackApiError: {error}".replace(url, "<slack>"))

    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*é* & <x>"}}]
    await attempt(lambda: client.chat_postMessage(channel="U1", text="héllo & co", blocks=blocks))
    await attempt(lambda: client.views_update(view_id="V1", view={"type": "modal", "blocks": []}))
    await attempt(lambda: client.users_info(user="U1"))  # GET with a query; refused
    await attempt(lambda: client.usergroups_users_update(usergroup="S1", users=["U1", "U2"]))
    await attempt(lambda: client.auth_test())
    await attempt(lambda: client.api_call("x.form", data={"a": "1", "b": "two words", "c": None}))
    await attempt(lambda: client.api_call("broken"))
    respond = responder.for_url(f"{url}/response/7")
    await attempt(lambda: respond("done ✓", response_type="ephemeral", replace_original=False))
    return read


@pytest.mark.served  # aiohttp over a real socket is one side of the comparison
async def test_the_in_process_session_sends_and_reads_what_aiohttp_does() -> None:
    token = "xoxb-wire-1"
    wire = Recorder()
    server = LoopbackServer(wire)
    url = await server.start()
    responder = Responder()
    try:
        client = AsyncWebClient(token=token, base_url=f"{url}/api/", retry_handlers=[])
        read_on_wire = await _exercise(client, responder, url)
    finally:
        await responder.aclose()
        await server.stop()

    here = Recorder()
    url = host_in_process(here)
    session = InProcessSession(Network())
    try:
        client = AsyncWebClient(
            token=token, base_url=f"{url}/api/", session=session.as_aiohttp(), retry_handlers=[]
        )
        read_here = await _exercise(client, Responder(session.as_aiohttp()), url)
    finally:
        await session.close()
        forget(url)

    assert len(wire.seen) == 8
    assert here.seen == wire.seen
    assert read_here == read_on_wire
    assert any(line.startswith("SlackApiError") for line in read_here)  # refusals were read
