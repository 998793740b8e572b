"""The forwarding part of the App Home: my numbers, Manage, and the forward-all switch."""

from __future__ import annotations

from bot.domain.capabilities import Capability
from bot.runtime import Runtime
from bot.slack.blocks import Block, actions, button, section
from handlers.forward.ids import ActionId
from handlers.forward.switch import status_text, switch_blocks
from handlers.forward.views import describe as describe_number
from handlers.shared import actor_for
from handlers.shared.home_page import HomeHints

ORDER = 30


async def numbers_section(runtime: Runtime, user_id: str, hints: HomeHints) -> list[Block]:
    lines = await runtime.identity.lines_of(user_id)
    if not runtime.providers.capabilities.able(lines, Capability.FORWARDING_NUMBERS):
        return []
    actor = actor_for(runtime, user_id)
    numbers = hints.numbers
    if numbers is None:
        numbers = (await runtime.forwarding.listing(actor, user_id, recent=True)).numbers
    status, on = hints.status, hints.status_on
    if status is None:
        status, on = await status_text(runtime, actor, user_id)
    rows = "\n".join(f"• {describe_number(n, runtime.forwarding.region)}" for n in numbers)
    text = f"*Your forwarding numbers*\n{rows or 'None yet.'}"
    manage = actions(button("Manage numbers", ActionId.OPEN.value, style="primary"))
    return [section(text), manage, *switch_blocks(status, user_id, on=on)]
