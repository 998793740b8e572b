"""Slack-facing features. Each package exposes `register(app, runtime)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers import admin, calls, forward, home, oncall, transfer


def register_all(app: AsyncApp, runtime: Runtime) -> None:
    admin.register(app, runtime)
    forward.register(app, runtime)
    transfer.register(app, runtime)
    oncall.register(app, runtime)
    home.register(app, runtime)
    calls.register(app, runtime)
