"""The App Home tab: who I am linked to, and quick links."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.blocks import Block, actions, button, context, divider, header, section
from bot.errors import describe
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.forwarding import Number
from handlers.admin.views import describe_line

log = logging.getLogger(__name__)


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        runtime.tasks.spawn(publish_home(runtime, str(event["user"])))


async def publish_home(
    runtime: Runtime, user_id: str, *, numbers: list[Number] | None = None, status: str | None = None
) -> None:
    """The App Home of `user_id`, read fresh (on open and after every change).

    After a change the caller passes what it already knows (the numbers as they now are,
    the forwarding status line), so nothing the change just read is read twice.
    """
    try:
        lines = await runtime.identity.lines_of(user_id)
        blocks = home_blocks(
            lines_text=[describe_line(link) for link in lines], is_admin=runtime.is_admin(user_id)
        )
        if any(link.provider == "ringcentral" for link in lines):
            blocks[2:2] = await _numbers(runtime, user_id, numbers, status)
        blocks[2:2] = await _shifts(runtime, user_id)
    except Exception as exc:
        blocks = [header("Switchboard"), section(describe(exc, log))]
    await runtime.slack.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})


async def _numbers(
    runtime: Runtime, user_id: str, numbers: list[Number] | None, status: str | None
) -> list[Block]:
    from handlers.forward.ids import ActionId
    from handlers.forward.switch import status_text, switch_blocks
    from handlers.forward.views import describe as describe_number

    actor = Actor(user_id, runtime.is_admin(user_id))
    if numbers is None:
        numbers = (await runtime.forwarding.listing(actor, user_id)).numbers
    if status is None:
        status = await status_text(runtime, actor, user_id)
    rows = "\n".join(f"• {describe_number(n, runtime.forwarding.region)}" for n in numbers)
    text = f"*Your forwarding numbers*\n{rows or 'None yet.'}"
    manage = actions(button("Manage numbers", ActionId.OPEN.value, style="primary"))
    return [section(text), manage, *switch_blocks(status, user_id)]


async def _shifts(runtime: Runtime, user_id: str) -> list[Block]:
    """My next on-call shifts over two weeks, in my time zone (nothing when I'm in no rotation)."""
    from handlers.forward.when import local_time

    now = runtime.clock()
    zone = (await runtime.identity.profile(user_id)).timezone
    rows = []
    for rotation in await runtime.rotations.rotations():
        if user_id not in rotation.schedule.members:
            continue
        for shift in await runtime.rotations.schedule(rotation):
            if shift.member == user_id:
                rows.append(
                    (
                        shift.start,
                        f"• *{rotation.name}*: {local_time(shift.start, zone, now)} → "
                        f"{local_time(shift.end, zone, now)}",
                    )
                )
    if not rows:
        return []
    listed = "\n".join(text for _, text in sorted(rows)[:6])
    return [section(f"*Your upcoming on-call shifts*\n{listed}")]


def home_blocks(*, lines_text: list[str], is_admin: bool) -> list[Block]:
    if lines_text:
        linked = "\n".join(f"• {line}" for line in lines_text)
    else:
        linked = "You aren't linked to a phone line yet; ask a Switchboard admin to link you."
    blocks: list[Block] = [header("Switchboard"), section(f"*Your line*\n{linked}"), divider()]
    blocks.append(
        section(
            "*Quick links*\n• `/forward`: forwarding numbers and quick forwarding\n"
            "• `/transfer`: move a live call\n• `/oncall`: who is on call"
        )
    )
    if is_admin:
        blocks.append(context("You are a Switchboard admin: `/switchboard help` lists admin tools."))
    return blocks
