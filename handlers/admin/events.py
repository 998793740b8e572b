"""`user_change`: Slack pushes a changed profile; email links are re-checked at once."""

from __future__ import annotations

from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot import profile_checks
from bot.runtime import Runtime
from bot.slack.profiles import profile_of
from bot.tasks import Nobody
from handlers.shared import Payload
from handlers.shared.background import run_after_ack


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.event("user_change")(partial(user_changed, runtime))


async def user_changed(runtime: Runtime, ack: AsyncAck, event: Payload) -> None:
    await ack()
    user = event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return
    profile = profile_of(user["id"], user)
    runtime.profiles.remember(profile)
    work = profile_checks.recheck(runtime.identity, runtime.notices, profile)
    run_after_ack(runtime, work, tell=Nobody("a profile Slack pushed: no person asked"))
