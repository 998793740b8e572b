"""The shell's stand-in browser: following a "Sign in to RingCentral" link opens the bot's
start page (which sets its cookie), signs the shell's user in at the built-in emulator and
lands on the bot's callback, as a real browser would (the emulator's login page asks only
for an email; the shell gives it the current user's).

`bot` is the browser's client for the bot's pages: its cookie jar is the browser's, and
httpx's jar, like a browser, keeps a `Secure` cookie off plain http and sends a cookie only
under its `Path`.
"""

from __future__ import annotations

import html
from urllib.parse import urlparse

import httpx
from starlette.types import ASGIApp

from bot.providers.ringcentral.sign_ins import PAGES

AUTHORIZE_PATH = "/restapi/oauth/authorize"


def _sentence(page: httpx.Response) -> str:
    return html.unescape(page.text.split("<p>", 1)[-1].split("</p>", 1)[0])


async def follow(
    url: str, *, email: str, emulator: ASGIApp | None, bot: httpx.AsyncClient, bot_url: str
) -> str:
    """What the browser ends up showing, as one line of text."""
    if emulator is not None and url.startswith(bot_url) and urlparse(url).path == PAGES.start:
        opened = await bot.get(url)  # the bot's start page: a cookie, then RingCentral
        if opened.status_code != 302:
            return f"(browser) {_sentence(opened)}"
        url = opened.headers.get("location", "")
    if emulator is None or urlparse(url).path != AUTHORIZE_PATH:
        return f"(browser) would open {url}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emulator)) as rc:
        signed = await rc.post(url, data={"email": email})
    landing = signed.headers.get("location", "")
    if signed.status_code != 302 or not landing.startswith(bot_url):
        return f"(browser) RingCentral answered {signed.status_code}; nothing was linked."
    page = await bot.get(landing)
    return f"(browser, signed in as {email}) {_sentence(page)}"
