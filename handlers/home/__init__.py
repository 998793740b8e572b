"""The App Home tab: its frame (who I am linked to, quick links) and the `app_home_opened` event.

The sections in between come from the features (forwarding numbers, on-call shifts), each
added to the page when that feature registers.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from bot.slack.blocks import Block, context, divider, header, section
from handlers.shared.home_page import HomeHints, home_page, publish_home
from handlers.shared.lines import describe_line

LINE, FOOTER = 10, 90


def register(app: AsyncApp, runtime: Runtime) -> None:
    page = home_page(runtime)
    page.add(LINE, _line)
    page.add(FOOTER, _footer)

    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        runtime.tasks.spawn(publish_home(runtime, str(event["user"])))


async def _line(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    lines = await runtime.identity.lines_of(user_id)
    if lines:
        linked = "\n".join(f"• {describe_line(link)}" for link in lines)
    else:
        linked = "You aren't linked to a phone line yet; ask a Switchboard admin to link you."
    return [header("Switchboard"), section(f"*Your line*\n{linked}")]


async def _footer(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    blocks: list[Block] = [
        divider(),
        section(
            "*Quick links*\n• `/forward`: forwarding numbers and quick forwarding\n"
            "• `/transfer`: move a live call\n• `/oncall`: who is on call"
        ),
    ]
    if runtime.is_admin(user_id):
        blocks.append(context("You are a Switchboard admin: `/switchboard help` lists admin tools."))
    return blocks
