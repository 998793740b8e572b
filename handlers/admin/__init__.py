"""/switchboard: help, whoami, connect, disconnect, link, unlink, audit; `user_change` events."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.runtime import Runtime
from handlers.admin import events, views
from handlers.admin.commands import SwitchboardCommand


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.command("/switchboard")(SwitchboardCommand(runtime).handle)
    events.register(app, runtime)
    app.action(views.SIGN_IN_LINK)(sign_in_link_opened)


async def sign_in_link_opened(ack: AsyncAck) -> None:
    await ack()  # a link button: Slack opens the URL and tells the app, which only acks
