"""Live calls: the bot subscribed to the emulator's pushes, and the cards it posts."""

from __future__ import annotations

from typing import Any

from bot.devkit.ringcentral.telephony import CallSession
from bot.devkit.shell.standin import Call
from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness, Reply, user_id

CALLER = ("+16505550142", "Pat Caller")


async def live(bot: Harness) -> None:
    bot.runtime.push.public_url = bot.url
    assert await bot.runtime.push.ensure() == "created"


def cards_to(bot: Harness, channel: str) -> list[Call]:
    return [
        c
        for c in bot.slack.calls
        if c.method in ("chat.postMessage", "chat.update")
        and "Pat Caller" in str(c.args.get("text"))
        and c.args["channel"] in (channel, "D" + channel[1:])
    ]


async def ring_alice(bot: Harness) -> tuple[CallSession, Call]:
    """Pat calls Alice: the call, and the first card Alice has for it once the work is done."""
    session = await bot._rc_app.phone.ring(ALICE_EXT, *CALLER)
    await bot.runtime.tasks.wait_idle()
    return session, cards_to(bot, user_id("alice"))[0]


def button_on(card: Call, action_id: str) -> dict[str, Any]:
    for block in card.args["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise AssertionError(f"no {action_id} on the card")


async def press(bot: Harness, who: str, card: Call, button: dict[str, Any]) -> Reply:
    ts = str(card.result["ts"]) if card.result else "1.0"
    return await bot.click(who, button, message_ts=ts)
