"""Socket Mode: apps.connections.open on the stand-in, a loopback websocket delivering a command."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.devkit.shell.standin import SlackStandIn, SlackUser, slack_id_for
from bot.runtime import start_runtime
from bot.settings import load_settings
from bot.web.socket_mode import start_socket_mode


class SocketServer:
    """Plays Slack's side of a Socket Mode connection."""

    def __init__(self) -> None:
        self.acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.connected = asyncio.Event()
        self.socket: web.WebSocketResponse | None = None

    async def handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.socket = ws
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0SWITCHB"}}
        )
        self.connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return ws


@pytest.mark.served
async def test_slash_command_over_socket_mode_is_acked_and_answered(tmp_path: Any) -> None:
    server = SocketServer()
    app = web.Application()
    app.router.add_get("/link", server.handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    slack = SlackStandIn(socket_url=f"ws://127.0.0.1:{port}/link")
    await slack.start()
    alice = SlackUser(slack_id_for("alice@example.com"), "alice", "Alice Martin", "alice@example.com")
    slack.add_user(alice)
    settings = load_settings(
        slack_bot_token="xoxb-socket-test",
        slack_app_token="xapp-socket-" + secrets.token_hex(4),
        slack_api_url=slack.api_url,
        database_url=f"sqlite:///{tmp_path}/socket.db",
        switchboard_providers="emulator",
    )
    runtime = await start_runtime(settings)
    handler = await start_socket_mode(runtime, settings.slack_app_token.get_secret_value())  # type: ignore[union-attr]
    try:
        await asyncio.wait_for(server.connected.wait(), 10)
        assert server.socket is not None
        envelope_id = "env-" + secrets.token_hex(4)
        await server.socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": "T0SWITCHB",
                    "user_id": alice.id,
                    "user_name": "alice",
                    "command": "/switchboard",
                    "text": "whoami",
                    "response_url": slack.response_url(),
                    "trigger_id": "1.2.3",
                    "channel_id": "C0SHELL",
                },
            }
        )
        ack = await asyncio.wait_for(server.acks.get(), 10)
        assert ack["envelope_id"] == envelope_id
        for _ in range(200):
            answers = slack.of("response_url")
            if answers:
                break
            await asyncio.sleep(0.05)
        assert answers, "no answer arrived through response_url"
        assert "`102`" in answers[0].args["text"]
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
        await runtime.aclose()
        await slack.stop()
        await runner.cleanup()
