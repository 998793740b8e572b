"""docs/contract.md "Your own RingCentral sign-in" and "Sign-in that proves ownership": connect, the
start page and its cookie, the callback, own token, expiry, keep-alive, disconnect.

Everything goes through the whole HTTP front (the ASGI app, in-process): `/switchboard
connect` over signed Slack requests, the bot's start page and callback, and the emulator's
login page in between. A browser is an httpx client: its cookie jar is the browser's.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx

from bot.devkit.shell import browser
from bot.devkit.shell.standin import SlackUser, slack_id_for
from bot.lifecycle import scheduler_for
from tests.helpers.harness import Harness, new_browser, start_configured, start_harness, user_id
from tests.helpers.modal import button
from tests.helpers.network import Network
from tests.helpers.sign_in import connect, sign_in_url, tokens_of

ALICE_EXT = 2263488004
BOB_EXT = 2263489004


async def sign_in_at_ringcentral(bot: Harness, authorize_url: str, email: str) -> str:
    """The emulator's login page signs in as `email`: where RingCentral sends the browser."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot._rc_app)) as rc:
        signed = await rc.post(authorize_url, data={"email": email})
    assert signed.status_code == 302, signed.text
    return signed.headers["location"]


def dms_to(bot: Harness, who: str, calls: list[Any] | None = None) -> list[str]:
    found = calls if calls is not None else bot.slack.of("chat.postMessage")
    return [
        c.args["text"]
        for c in found
        if c.method == "chat.postMessage" and c.args["channel"] == user_id(who)
    ]


async def lines_of(bot: Harness, slack_id: str) -> list[str]:
    from bot.store import links

    async with bot.runtime.database.session() as session:
        return [x.ref for x in await links.links_of(session, slack_user_id=slack_id)]


def used_tokens(bot: Harness) -> set[str]:
    """Bearer tokens the emulator has seen (its rate buckets are keyed by them)."""
    return {key[0].removeprefix("Bearer ") for key in bot._rc_app.buckets._seen}


async def test_the_link_opens_the_start_page_which_sets_a_cookie_and_goes_to_ringcentral(
    bot: Harness,
) -> None:
    reply = await bot.command("alice", "/switchboard", "connect")
    link = sign_in_url(reply.text)
    assert link.startswith(f"{bot.url}/ringcentral/oauth/start?")
    assert reply.calls[-1].method == "response_url"  # only to the user
    assert reply.calls[-1].args.get("response_type", "ephemeral") == "ephemeral"
    opened = await bot.http.get(link)
    assert opened.status_code == 302
    cookie = opened.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # the public URL is loopback http
    url = urlparse(opened.headers["location"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/restapi/oauth/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] != "emulator"  # the sign-in app, not the JWT app
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256, no padding
    assert query["redirect_uri"] == f"{bot.url}/ringcentral/oauth/callback"
    assert len(query["state"]) >= 32
    async with bot.runtime.database.session() as session:
        from sqlalchemy import select

        from bot.store.models import OAuthState

        row = (await session.scalars(select(OAuthState))).one()
    browser_value = cookie.split(";", 1)[0].split("=", 1)[1]
    assert browser_value not in (row.browser_hash or "")  # only a hash is kept
    assert row.browser_hash
    assert len(row.browser_hash) == 64


async def test_the_cookie_is_secure_behind_an_https_public_url(sqlite_url: str) -> None:
    bot = await start_harness(sqlite_url, switchboard_public_url="https://switchboard.example")
    try:
        link = sign_in_url((await bot.command("alice", "/switchboard", "connect")).text)
        assert link.startswith("https://switchboard.example/ringcentral/oauth/start?")
        opened = await bot.http.get(bot.url + link.removeprefix("https://switchboard.example"))
        assert opened.status_code == 302
        assert "secure" in opened.headers["set-cookie"].lower()
    finally:
        await bot.close()


class BehindAPrefix(Network):
    """A proxy that serves the bot under `/sb` (README: the public URL may have a path), as
    the browser sees it: cookies are kept and sent by the URL the browser asked for."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/sb/"):
            request.url = request.url.copy_with(path=request.url.path.removeprefix("/sb"))
        return await super().handle_async_request(request)


async def test_a_public_url_with_a_path_keeps_the_cookie_for_the_callback(bot: Harness) -> None:
    """The cookie's Path is under the public URL's path, or the browser never brings it back
    to `…/sb/ringcentral/oauth/callback` and every sign-in fails as "another browser"."""
    bot.runtime.sign_in.public_url = f"{bot.url}/sb"
    link = sign_in_url((await bot.command("alice", "/switchboard", "connect")).text)
    assert link.startswith(f"{bot.url}/sb/ringcentral/oauth/start?")
    async with httpx.AsyncClient(transport=BehindAPrefix()) as browser_:
        opened = await browser_.get(link)
        assert opened.status_code == 302
        assert "path=/sb/ringcentral/oauth" in opened.headers["set-cookie"].lower()
        landing = await sign_in_at_ringcentral(bot, opened.headers["location"], "alice@example.com")
        assert landing.startswith(f"{bot.url}/sb/ringcentral/oauth/callback?")
        page = await browser_.get(landing)
    assert page.status_code == 200, page.text
    assert "connected as extension 102" in page.text


async def test_a_sign_in_finished_in_another_browser_links_nothing(bot: Harness) -> None:
    """Issue 24: bob's sign-in, sent on to alice, can't link bob to alice's line."""
    await bot.command("alice", "/forward", "list")  # alice holds extension 102 by email
    link = sign_in_url((await bot.command("bob", "/switchboard", "connect")).text)
    async with new_browser() as bobs_browser, new_browser() as alices_browser:
        opened = await bobs_browser.get(link)
        assert opened.status_code == 302
        landing = await sign_in_at_ringcentral(bot, opened.headers["location"], "alice@example.com")
        bot.slack.drain()
        page = await alices_browser.get(landing)
        await bot.runtime.tasks.wait_idle()
    assert page.status_code == 400
    sentence = re.sub(r"<[^>]+>", "", page.text.split("<p>", 1)[1])
    assert sentence.count(". ") == 0
    assert "same browser" in sentence
    # the same sentence: plain words on the page, the command a code span in Slack
    assert "run /switchboard connect again" in sentence
    assert "`" not in page.text
    assert any("run `/switchboard connect` again" in t for t in dms_to(bot, "bob"))
    assert await lines_of(bot, user_id("bob")) == []
    assert await lines_of(bot, user_id("alice")) == [f"ringcentral:{ALICE_EXT}"]
    assert not await bot.runtime.sign_in.connected(user_id("bob"))
    assert tokens_of(bot, ALICE_EXT) == set()  # alice's code was never redeemed
    assert "link.signin" not in [r.action for r in await bot.audit_rows()]


async def test_ones_own_sign_in_must_finish_in_the_browser_that_opened_the_link(bot: Harness) -> None:
    link = sign_in_url((await bot.command("bob", "/switchboard", "connect")).text)
    async with new_browser() as first, new_browser() as second:
        assert (await second.head(link)).status_code == 200  # a link checker binds nothing
        opened = await first.get(link)
        again = await second.get(link)  # the link, opened in a second browser
        assert again.status_code == 400
        landing = await sign_in_at_ringcentral(bot, opened.headers["location"], "bob@example.com")
        page = await second.get(landing)
    assert page.status_code == 400
    assert "same browser" in page.text
    assert not await bot.runtime.sign_in.connected(user_id("bob"))
    assert "connected as extension 103" in await connect(bot, "bob")  # in one browser, it works


async def test_a_link_opened_by_a_colleague_who_signs_in_as_herself_links_nothing(
    bot: Harness,
) -> None:
    """Bob's own link, forwarded before he opened it: alice's extension isn't bob's email."""
    await bot.command("alice", "/forward", "list")
    link = sign_in_url((await bot.command("bob", "/switchboard", "connect")).text)
    bot.slack.drain()
    async with new_browser() as alices_browser:
        page = await browser.follow(
            link,
            email="alice@example.com",
            emulator=bot._rc_app,
            bot=alices_browser,
            bot_url=bot.url,
        )
    await bot.runtime.tasks.wait_idle()
    assert "email" in page
    assert "nothing was linked" in page
    assert any("nothing was linked" in t for t in dms_to(bot, "bob"))
    assert dms_to(bot, "alice") == []
    assert await lines_of(bot, user_id("bob")) == []
    assert await lines_of(bot, user_id("alice")) == [f"ringcentral:{ALICE_EXT}"]
    assert tokens_of(bot, ALICE_EXT) == set()  # the pair alice's sign-in gave was revoked
    assert not await bot.runtime.sign_in.connected(user_id("bob"))


GUESTS: dict[str, dict[str, Any]] = {
    "multi-channel guest": {"is_restricted": True},
    "single-channel guest": {"is_ultra_restricted": True},
    "Slack Connect user": {"is_stranger": True, "team_id": "T0OTHERCO"},
    "unconfirmed email": {"is_email_confirmed": False},
    "bot": {"is_bot": True},
}


async def test_whoever_may_not_be_linked_by_email_may_not_connect(bot: Harness) -> None:
    from bot.devkit.shell import payloads
    from bot.store.models import OAuthState

    for n, flags in enumerate(GUESTS.values()):
        base = SlackUser(slack_id_for(f"carol+{n}@x"), "carol", "Carol", "carol@example.com")
        user = dataclasses.replace(base, **flags)
        bot.slack.add_user(user)
        body = payloads.slash_command(
            user_id=user.id,
            user_name=user.name,
            command="/switchboard",
            text="connect",
            response_url=bot.slack.response_url(),
        )
        reply = await bot.signed(body)
        assert "admin has to link you" in reply.text, flags
        assert "Sign in to RingCentral" not in reply.text
    async with bot.runtime.database.session() as session:
        from sqlalchemy import func, select

        assert await session.scalar(select(func.count()).select_from(OAuthState)) == 0
    home = await bot.signed(payloads.app_home_opened(user.id), content_type="application/json")
    view = next(c for c in home.calls if c.method == "views.publish").args["view"]
    assert "home_signin_connect" not in str(view)  # no offer a guest can't take


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
    opened = await bot.http.get(sign_in_url(reply.text))
    landing = await sign_in_at_ringcentral(bot, opened.headers["location"], "alice@example.com")
    first = await bot.http.get(landing)
    assert first.status_code == 200
    again = await bot.http.get(landing)
    assert again.status_code == 400
    assert "works once" in again.text
    assert "Run /switchboard connect in Slack for a new one." in again.text  # plain words
    forged = await bot.http.get(f"{bot.url}/ringcentral/oauth/callback?code=x&state=made-up")
    assert forged.status_code == 400
    assert "<script" not in forged.text.lower()
    assert sum(r.action == "link.signin" for r in await bot.audit_rows()) == 1


async def test_a_cancelled_sign_in_says_so_and_links_nothing(bot: Harness) -> None:
    reply = await bot.command("bob", "/switchboard", "connect")
    opened = await bot.http.get(sign_in_url(reply.text))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=bot._rc_app)) as rc:
        denied = await rc.post(
            opened.headers["location"], data={"email": "bob@example.com", "deny": "1"}
        )
    page = await bot.http.get(denied.headers["location"])
    assert page.status_code == 400
    assert "cancelled" in page.text
    assert not await bot.runtime.sign_in.connected(user_id("bob"))


async def test_an_own_sign_in_takes_the_line_from_an_email_holder_who_is_told(bot: Harness) -> None:
    await bot.command("bob", "/forward", "list")  # bob holds extension 103 by email
    bot.rc.extensions[BOB_EXT].email = "mallory@example.com"  # 103 given to mallory since
    bot.slack.drain()
    page = await connect(bot, "mallory")
    assert "connected as extension 103" in page
    told = dms_to(bot, "bob")
    assert len(told) == 1
    assert "no longer acts on it for you" in told[0]
    listing = await bot.command("bob", "/forward", "list")
    assert "aren't linked" in listing.text


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
    opened = await bot.click("carol", button(home, "home_signin_connect"), view=home)
    modal = bot.latest_view(opened)  # opened at once, the link filled in by update
    link = next(e["url"] for b in modal["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert urlparse(link).path == "/ringcentral/oauth/start"


async def test_connected_pairs_are_kept_alive_by_the_scheduler(bot: Harness) -> None:
    """A refresh token dies after 7 days unused: the bot refreshes every pair at least daily."""
    await connect(bot, "alice")
    scheduler = scheduler_for(bot.runtime)
    now = bot.runtime.clock()
    before = bot.rc.refreshes
    await scheduler.tick(now)
    assert bot.rc.refreshes == before  # just signed in: nothing to do yet
    await scheduler.tick(now + timedelta(hours=23))
    assert bot.rc.refreshes == before + 1
    assert tokens_of(bot, ALICE_EXT)  # the new pair is alice's and works
    await bot.command("alice", "/forward", "list")
    assert used_tokens(bot) & tokens_of(bot, ALICE_EXT)


async def test_a_pair_that_dies_anyway_is_told_once_on_the_keep_alive(bot: Harness) -> None:
    await connect(bot, "alice")
    bot.slack.drain()
    bot.rc.refresh_tokens.clear()  # RingCentral ended the session
    scheduler = scheduler_for(bot.runtime)
    later = bot.runtime.clock() + timedelta(hours=23)
    await scheduler.tick(later)
    await scheduler.tick(later + timedelta(hours=1))
    await bot.runtime.tasks.wait_idle()
    assert sum("sign-in has expired" in t for t in dms_to(bot, "alice")) == 1
    assert any("Run `/switchboard connect` to sign in again." in t for t in dms_to(bot, "alice"))
    assert not await bot.runtime.sign_in.connected(user_id("alice"))
    assert "Mobile" in (await bot.command("alice", "/forward", "list")).text  # the admin's token


async def test_personal_sign_in_runs_on_its_own_ringcentral_app(
    platform: tuple[Any, str], sqlite_url: str
) -> None:
    app, url = platform
    bot = await start_configured(sqlite_url, url, client_id="jwt-app")
    try:
        reply = await bot.command("alice", "/switchboard", "connect")
        assert "personal sign-in isn't set up" in reply.text
        assert "Sign in to RingCentral" not in reply.text
    finally:
        await bot.close()
    bot = await start_configured(
        sqlite_url,
        url,
        client_id="jwt-app",
        ringcentral_signin_client_id="signin-app",
        ringcentral_signin_client_secret="signin-secret",
    )
    try:
        await bot.command("admin", "/forward", "list")  # the JWT app logs in
        link = sign_in_url((await bot.command("alice", "/switchboard", "connect")).text)
        page = await browser.follow(
            link, email="alice@example.com", emulator=app, bot=bot.http, bot_url=bot.url
        )
        assert "connected as extension 102" in page
        assert app.emulator_state.client_flows == {
            "jwt-app": "jwt",
            "signin-app": "authorization_code",
        }
    finally:
        await bot.close()
