"""CONTRACT "Your own RingCentral sign-in": connect, callback, own token, expiry, disconnect.

Everything goes through the real HTTP front: `/switchboard connect` over signed Slack
requests, the emulator's login page (the shell's stand-in browser), and the bot's
callback on its own socket.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import httpx

from bot.devkit.shell import browser
from tests.harness import Harness, user_id

ALICE_EXT = 2263488004
BOB_EXT = 2263489004


def sign_in_url(reply_text: str) -> str:
    found = re.search(r"<(http[^|>]+)\|Sign in to RingCentral>", reply_text)
    assert found, reply_text
    return found.group(1)


async def connect(bot: Harness, who: str, email: str | None = None) -> str:
    """`/switchboard connect`, then the browser signs in as `email` (default: their own)."""
    reply = await bot.command(who, "/switchboard", "connect")
    url = sign_in_url(reply.text)
    return await browser.follow(
        url,
        email=email or f"{who}@example.com",
        emulator=bot.runtime.providers.ringcentral_emulator,
        bot=bot.http,
        bot_url=bot.url,
    )


def tokens_of(bot: Harness, extension_id: int) -> set[str]:
    return {t for t, grant in bot.rc.access_tokens.items() if grant.extension_id == extension_id}


def used_tokens(bot: Harness) -> set[str]:
    """Bearer tokens the emulator has seen (its rate buckets are keyed by them)."""
    return {key[0].removeprefix("Bearer ") for key in bot._rc_app.buckets._seen}


async def test_the_link_starts_ringcentrals_pkce_flow(bot: Harness) -> None:
    reply = await bot.command("alice", "/switchboard", "connect")
    url = urlparse(sign_in_url(reply.text))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/restapi/oauth/authorize"
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256, no padding
    assert query["redirect_uri"] == f"{bot.url}/ringcentral/oauth/callback"
    assert len(query["state"]) >= 32
    assert reply.calls[-1].method == "response_url"  # only to the user
    assert reply.calls[-1].args.get("response_type", "ephemeral") == "ephemeral"


async def test_connecting_links_the_line_and_uses_the_persons_own_token(bot: Harness) -> None:
    page = await connect(bot, "alice")
    assert "connected as extension 102" in page
    dms = [c for c in bot.slack.of("chat.postMessage") if c.args["channel"] == user_id("alice")]
    assert any("own RingCentral sign-in" in c.args["text"] for c in dms)
    whoami = await bot.command("alice", "/switchboard", "whoami")
    assert "Your own RingCentral sign-in is connected" in whoami.text
    assert "(linked when you signed in to RingCentral)" in whoami.text  # how the line was linked
    mine = tokens_of(bot, ALICE_EXT)
    assert mine
    await bot.command("alice", "/forward", "list")
    assert used_tokens(bot) & mine  # alice's own requests went with her own token
    await bot.command("admin", "/forward", f"list <@{user_id('bob')}>")
    assert not (used_tokens(bot) & tokens_of(bot, BOB_EXT))  # others still the admin's
    rows = [r.action for r in await bot.audit_rows()]
    assert "link.signin" in rows


async def test_a_replayed_or_forged_state_links_nothing(bot: Harness) -> None:
    reply = await bot.command("alice", "/switchboard", "connect")
    url = sign_in_url(reply.text)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot._rc_app)) as rc:
        signed = await rc.post(url, data={"email": "alice@example.com"})
    landing = signed.headers["location"]
    first = await bot.http.get(landing)
    assert first.status_code == 200
    again = await bot.http.get(landing)
    assert again.status_code == 400
    assert "works once" in again.text
    forged = await bot.http.get(f"{bot.url}/ringcentral/oauth/callback?code=x&state=made-up")
    assert forged.status_code == 400
    assert "<script" not in forged.text.lower()
    assert sum(r.action == "link.signin" for r in await bot.audit_rows()) == 1


async def test_a_cancelled_sign_in_says_so_and_links_nothing(bot: Harness) -> None:
    reply = await bot.command("bob", "/switchboard", "connect")
    url = sign_in_url(reply.text)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot._rc_app)) as rc:
        denied = await rc.post(url, data={"email": "bob@example.com", "deny": "1"})
    page = await bot.http.get(denied.headers["location"])
    assert page.status_code == 400
    assert "cancelled" in page.text
    assert not await bot.runtime.sign_in.connected(user_id("bob"))


async def test_an_own_sign_in_takes_the_line_from_an_email_holder_who_is_told(bot: Harness) -> None:
    await bot.command("bob", "/forward", "list")  # bob holds extension 103 by email
    bot.slack.drain()
    page = await connect(bot, "mallory", email="bob@example.com")
    assert "connected as extension 103" in page
    told = [c for c in bot.slack.of("chat.postMessage") if c.args["channel"] == user_id("bob")]
    assert len(told) == 1
    assert "no longer acts on it for you" in told[0].args["text"]
    listing = await bot.command("bob", "/forward", "list")
    assert "already linked to someone else" in listing.text


async def test_a_dead_refresh_falls_back_to_the_admin_token_and_says_so_once(bot: Harness) -> None:
    await connect(bot, "alice")
    bot.slack.drain()
    for grant in list(bot.rc.refresh_tokens):  # RingCentral ended every session's refresh
        del bot.rc.refresh_tokens[grant]
    bot.rc.expire_access_tokens()
    first = await bot.command("alice", "/forward", "list")
    assert "Mobile" in first.text  # answered all the same, with the admin's token
    second = await bot.command("alice", "/forward", "list")
    assert "Mobile" in second.text
    dms = [
        c
        for c in first.calls + second.calls
        if c.method == "chat.postMessage" and c.args["channel"] == user_id("alice")
    ]
    assert sum("sign-in has expired" in c.args["text"] for c in dms) == 1
    assert not await bot.runtime.sign_in.connected(user_id("alice"))


async def test_disconnect_revokes_and_forgets(bot: Harness) -> None:
    await connect(bot, "alice")
    mine = tokens_of(bot, ALICE_EXT)
    reply = await bot.command("alice", "/switchboard", "disconnect")
    assert "revoked and forgotten" in reply.text
    assert not (tokens_of(bot, ALICE_EXT) & mine)  # the session ended at RingCentral
    again = await bot.command("alice", "/switchboard", "disconnect")
    assert "wasn't connected" in again.text
    assert "haven't connected" in (await bot.command("alice", "/switchboard", "whoami")).text


async def test_the_app_home_offers_to_connect(bot: Harness) -> None:
    from bot.devkit.shell import payloads

    reply = await bot.signed(payloads.app_home_opened(user_id("carol")), content_type="application/json")
    home = next(c for c in reply.calls if c.method == "views.publish").args["view"]
    button = next(
        b["accessory"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == "home_signin_connect"
    )
    click = payloads.block_action(
        user_id=user_id("carol"),
        user_name="carol",
        action=button,
        response_url=bot.slack.response_url(),
        view=home,
    )
    opened = await bot.signed(click)
    modal = next(c for c in opened.calls if c.method == "views.open").args["view"]
    link = next(e["url"] for b in modal["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert urlparse(link).path == "/restapi/oauth/authorize"
