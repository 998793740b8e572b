"""Live calls: the bot subscribed to the emulator's pushes, and the cards it posts."""

from __future__ import annotations

from bot.devkit.shell.standin import Call
from tests.helpers.harness import Harness

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
