"""/oncall: rotations are the next feature; until then the command answers plainly."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.blocks import message
from bot.runtime import Runtime

NOT_YET = "On-call rotations aren't available in this version of Switchboard yet."


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.command("/oncall")
    async def oncall(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack(**message(NOT_YET))
