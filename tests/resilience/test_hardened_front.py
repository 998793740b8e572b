"""docs/contract.md "Fair shares and a hardened front": bodies no parser should trust, other workspaces.

In-process (the harness serves the app under uvicorn on loopback); what only a separate
`switchboard serve` process shows (heads, idle connections, timers) is in
tests/e2e/test_serve_front.py.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from starlette.responses import JSONResponse

from bot.devkit.loopback import LoopbackServer
from bot.devkit.shell.standin import TEAM_ID
from bot.web import signing
from bot.web.protocol import GuardedH11Protocol, protocol_class
from tests.helpers.harness import Harness, user_id
from tests.helpers.modal import button

ALICE_EXT = 2263488004
DEEP = 1000


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


async def signed_json(bot: Harness, raw: str) -> httpx.Response:
    body = raw.encode()
    headers = {**signing.signed_headers(bot.secret, body), "Content-Type": "application/json"}
    return await bot.post(body, headers)


async def test_slack_events_answer_deep_or_out_of_range_json_with_400(bot: Harness) -> None:
    home = {"type": "app_home_opened", "user": user_id("alice"), "tab": "home"}
    team = {"team_id": TEAM_ID, "api_app_id": "A0SWITCHB"}
    bad = [
        '{"type": "event_callback", "event": ',  # cut short
        nested(DEEP),
        json.dumps({**team, "type": "event_callback", "event": {**home, "x": json.loads(nested(33))}}),
        json.dumps({**team, "type": "event_callback", "event": {**home, "n": 10**30}}),
        json.dumps({**team, "type": "event_callback", "event": {**home, "n": -(2**63) - 1}}),
        '{"type": "event_callback", "event": {"type": "app_home_opened", "n": 1e999}}',
        '{"type": "event_callback", "event": {"type": "app_home_opened", "n": NaN}}',
    ]
    for raw in bad:
        answer = await signed_json(bot, raw)
        assert answer.status_code == 400, raw[:80]
    fine = json.dumps({**team, "type": "event_callback", "event": {**home, "x": json.loads(nested(30))}})
    assert (await signed_json(bot, fine)).status_code == 200  # 32 levels are fine
    for raw in (nested(DEEP), json.dumps({"type": "block_actions", "n": 10**30})):
        body = urlencode({"payload": raw}).encode()
        answer = await bot.post(body, signing.signed_headers(bot.secret, body))
        assert answer.status_code == 400, raw[:80]


async def live(bot: Harness) -> Any:
    bot.runtime.push.public_url = bot.url
    assert await bot.runtime.push.ensure() == "created"
    pusher = bot._rc_app.pusher
    return next(iter(pusher.subscriptions.values()))


async def a_delivered_call(bot: Harness) -> tuple[Any, str, dict[str, str]]:
    """Alice's calls on and her phone rung once: the notification RingCentral delivered,
    the webhook's URL and the headers its subscription sends (Slack's calls drained)."""
    subscription = await live(bot)
    await bot.command("alice", "/switchboard", "calls on")
    await bot._rc_app.phone.ring(ALICE_EXT, "+16505550142", "Pat Caller")
    await bot.runtime.tasks.wait_idle()
    note = bot._rc_app.pusher.delivered[0]
    bot.slack.drain()
    url = f"{bot.url}/ringcentral/webhook"
    headers = {"Verification-Token": subscription.token, "Content-Type": "application/json"}
    return note, url, headers


async def test_the_webhook_answers_bad_json_with_400_and_posts_no_card(bot: Harness) -> None:
    note, url, headers = await a_delivered_call(bot)
    huge = {**note, "body": {**note["body"], "telephonySessionId": "s-huge", "sequence": 10**30}}
    for raw in ("{not json", nested(DEEP), json.dumps({"a": json.loads(nested(40))}), json.dumps(huge)):
        answer = await bot.http.post(url, content=raw, headers=headers)
        assert answer.status_code == 400, raw[:80]
    await bot.runtime.tasks.wait_idle()
    assert [c for c in bot.slack.calls if c.method == "chat.postMessage"] == []


async def test_another_workspace_is_refused_whatever_the_view_says(bot: Harness) -> None:
    """`view.app_installed_team_id` names us, but team.id, user.team_id or team_id don't."""
    reply = await bot.command("alice", "/forward")
    listing = bot.latest_view(reply)
    clicked = await bot.click("alice", button(listing, "forward_add"), view=listing)
    form = {**bot.latest_view(clicked), "app_installed_team_id": TEAM_ID, "team_id": TEAM_ID}
    values = {
        block: {"value": {"type": "plain_text_input", "value": text}}
        for block, text in {"phone": "(650) 555-0155", "label": "Garage"}.items()
    }
    posts = bot.rc_faults.count("POST")
    for field in ("team", "user", "team_id"):
        payload: dict[str, Any] = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "example"},
            "user": {"id": user_id("alice"), "username": "alice", "team_id": TEAM_ID},
            "api_app_id": "A0SWITCHB",
            "trigger_id": "1.2.3",
            "view": {**form, "state": {"values": values}},
        }
        if field == "team":
            payload["team"] = {"id": "T0EVILCORP", "domain": "evil"}
        elif field == "user":
            payload["user"] = {**payload["user"], "team_id": "T0EVILCORP"}
        else:
            payload["team_id"] = "T0EVILCORP"
        refused = await bot.signed(urlencode({"payload": json.dumps(payload)}).encode())
        assert refused.status == 200, field
        assert not (refused.body or {}).get("response_action"), field  # nothing shown
        assert refused.calls == [], field
        assert bot.rc_faults.count("POST") == posts, field
    saved = await bot.submit("alice", form, {"phone": "(650) 555-0155", "label": "Garage"})
    assert saved.body is not None
    assert saved.body["response_action"] == "update"  # ours: saved
    assert bot.rc_faults.count("POST") == posts + 1


@pytest.mark.parametrize("parser", ["h11", "httptools"])
@pytest.mark.served
async def test_heads_over_16_kib_are_431_whichever_parser(parser: str) -> None:
    """The cap is measured before any parser sees the bytes (httptools has none of its own)."""
    chosen = GuardedH11Protocol if parser == "h11" else protocol_class()
    assert parser in chosen.__mro__[2].__module__
    server = LoopbackServer(JSONResponse({"status": "ok"}), http=chosen)
    url = await server.start()
    port = int(url.rsplit(":", 1)[1])
    try:
        for size, status in ((15 * 1024, b"200"), (17 * 1024, b"431"), (1024 * 1024, b"431")):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            pad = b"x" * (size - 60)
            writer.write(b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + pad + b"\r\n\r\n")
            answer = await asyncio.wait_for(reader.read(100), 5)
            writer.close()
            assert answer.startswith(b"HTTP/1.1 " + status), (parser, size, answer)
    finally:
        await server.stop()


@pytest.mark.parametrize(
    "field",
    [
        {"sequence": 2**40},  # within 64 bits (the front's JSON check), past the column's 32
        {"telephonySessionId": "s-" + "x" * 200},  # longer than the store keeps
    ],
)
async def test_a_notification_the_store_cant_keep_posts_no_card(
    postgres_url: str, field: dict[str, Any]
) -> None:
    """Issue 24: a card was posted before its row was stored; a value PostgreSQL refuses then
    left a card with no row, and the next update posted a second one. Such a notification is
    ignored (answered 200, as RingCentral is owed), no card at all."""
    from tests.helpers.harness import start_harness

    bot = await start_harness(postgres_url)
    try:
        note, url, headers = await a_delivered_call(bot)
        body = {**note["body"], "telephonySessionId": "s-odd", **field}
        for _ in range(2):  # the same notification again: still nothing
            answer = await bot.http.post(
                url, content=json.dumps({**note, "body": body}), headers=headers
            )
            assert answer.status_code < 500
            await bot.runtime.tasks.wait_idle()
        assert [c for c in bot.slack.calls if c.method == "chat.postMessage"] == []
    finally:
        await bot.close()
