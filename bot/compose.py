"""The composition root: the Bolt app with every feature registered, as the fronts serve it.

The Slack layer (`bot.slack.app`) builds the app and never knows the features above it;
the fronts (`bot.web.asgi`, `bot.web.socket_mode`) take the assembled app from here.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from bot.slack.app import bolt_app
from handlers import register_all


def build_app(runtime: Runtime, *, signing_secret: str | None = None) -> AsyncApp:
    app = bolt_app(runtime, signing_secret=signing_secret)
    register_all(app, runtime)
    return app
