"""A person's own RingCentral sign-in: `/switchboard connect`, then the browser at the emulator."""

from __future__ import annotations

import re

import httpx

from bot.devkit.shell import browser
from tests.helpers.harness import Harness
from tests.helpers.providers import emulators


def sign_in_url(reply_text: str) -> str:
    found = re.search(r"<(http[^|>]+)\|Sign in to RingCentral>", reply_text)
    assert found, reply_text
    return found.group(1)


async def connect(
    bot: Harness, who: str, email: str | None = None, *, in_browser: httpx.AsyncClient | None = None
) -> str:
    """`/switchboard connect`, then the browser signs in as `email` (default: their own)."""
    reply = await bot.command(who, "/switchboard", "connect")
    url = sign_in_url(reply.text)
    return await browser.follow(
        url,
        email=email or f"{who}@example.com",
        emulator=emulators(bot.runtime).ringcentral,
        bot=in_browser or bot.http,
        bot_url=bot.url,
    )


def tokens_of(bot: Harness, extension_id: int) -> set[str]:
    return {t for t, grant in bot.rc.access_tokens.items() if grant.extension_id == extension_id}
