"""/switchboard: help, whoami, link, unlink, audit; and Slack's `user_change` events."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.admin import events
from handlers.admin.commands import SwitchboardCommand


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.command("/switchboard")(SwitchboardCommand(runtime).handle)
    events.register(app, runtime)
