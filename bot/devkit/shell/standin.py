"""A stand-in for the Slack Web API: part of the product (the shell uses it, on loopback).

It answers auth.test, users.info, users.lookupByEmail, conversations.open, chat.*, views.*
and receives `response_url` posts, recording every call so the shell (and tests) can show
what the bot said. As strict as Slack where the bot could lean on kindness: a `trigger_id`
opens one view, within 3 s of the interaction that carried it (`TriggerBook`). Served by
uvicorn on a real socket (`start()`), as the shell and served tests reach it; the tests'
in-process tier reaches its ASGI app (`asgi()`) through the same aiohttp calls, without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.devkit.loopback import LoopbackServer
from bot.devkit.shell import block_rules
from bot.devkit.shell.usergroups import UserGroupsStandIn

TEAM_ID = "T0SWITCHB"
BOT_USER_ID = "U0SWITCHBOT"

# "Triggers expire in three seconds. […] Triggers may only be used once."
# https://api.slack.com/docs/triggers ; the views.* methods answer `expired_trigger_id`,
# `exchanged_trigger_id` ("The trigger_id was already exchanged in a previous call") and
# `invalid_trigger_id`: https://docs.slack.dev/reference/methods/views.open,
# https://docs.slack.dev/reference/methods/views.push
TRIGGER_LIFETIME = 3.0
TRIGGER_METHODS = frozenset({"views.open", "views.push"})


def refuse_update(views: dict[str, dict[str, Any]], args: dict[str, Any]) -> str | None:
    """Slack's refusals of views.update (https://docs.slack.dev/reference/methods/views.update):
    exactly one of view_id and external_id names the view; `not_found` when "the given
    view_id or external_id doesn't exist"; `hash_conflict` when "the provided hash doesn't
    match the current stored value"."""
    view_id, external_id = str(args.get("view_id") or ""), str(args.get("external_id") or "")
    if bool(view_id) == bool(external_id):
        return "invalid_arguments"
    found = views.get(view_id) or next(
        (v for v in views.values() if external_id and v.get("external_id") == external_id), None
    )
    if found is None:
        return "not_found"
    wanted = str(args.get("hash") or "")
    if wanted and wanted != found.get("hash"):
        return "hash_conflict"
    return None


@dataclass
class TriggerBook:
    """The trigger ids Slack handed out with interactions, when, and which were exchanged.

    Payload builders (`payloads.trigger_id`) mint one per interaction at the moment it is
    sent; any stand-in then checks it. Module-wide because Slack's triggers are too: one
    minted for a request is valid for whichever client presents it, once.
    """

    minted: dict[str, float] = field(default_factory=dict)
    exchanged: set[str] = field(default_factory=set)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def mint(self, *, age: float = 0.0) -> str:
        """A new trigger id, as if its interaction happened `age` seconds ago."""
        now = time.monotonic()
        if len(self.minted) > 10_000:  # a long shell or bench run: forget the long-expired
            self.minted = {t: at for t, at in self.minted.items() if now - at < 60}
            self.exchanged &= self.minted.keys()
        trigger = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(16)}"
        self.minted[trigger] = now - age
        return trigger

    def exchange(self, trigger_id: str, *, lifetime: float = TRIGGER_LIFETIME) -> str | None:
        """Spend a trigger: None when it may open a view, else Slack's error code."""
        issued = self.minted.get(trigger_id)
        if issued is None:
            return "invalid_trigger_id"
        if trigger_id in self.exchanged:
            return "exchanged_trigger_id"
        if time.monotonic() - issued > lifetime:
            return "expired_trigger_id"
        self.exchanged.add(trigger_id)
        return None


TRIGGERS = TriggerBook()


def slack_id_for(email: str) -> str:
    """A stable Slack-looking user id for an email."""
    return "U" + hashlib.sha1(email.lower().encode()).hexdigest()[:10].upper()  # noqa: S324


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    real_name: str
    email: str
    tz: str = "America/Los_Angeles"
    # The flags users.info carries, as Slack sets them for a full member by default.
    team_id: str = TEAM_ID
    is_email_confirmed: bool = True
    is_restricted: bool = False  # multi-channel guest
    is_ultra_restricted: bool = False  # single-channel guest
    is_stranger: bool = False  # from another organization (Slack Connect)
    is_bot: bool = False
    deleted: bool = False

    def as_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "name": self.name,
            "real_name": self.real_name,
            "tz": self.tz,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "is_stranger": self.is_stranger,
            "is_email_confirmed": self.is_email_confirmed,
            "profile": {
                "email": self.email,
                "real_name": self.real_name,
                "display_name": self.name,
                "team": self.team_id,
            },
        }


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    result: dict[str, Any] | None = None  # what the stand-in answered (views.* return the view)
    at: float = field(default_factory=time.monotonic)  # when it arrived (for the bench)


@dataclass
class Fault:
    """The next `times` calls of `method` fail as Slack would fail them."""

    method: str
    error: str
    status: int = 200  # 429 for a rate limit (with Retry-After)
    retry_after: int = 1
    times: int = 1


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_member: bool = False


@dataclass
class SlackStandIn:
    users: dict[str, SlackUser] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str = ""
    socket_url: str = ""  # what apps.connections.open hands out (Socket Mode tests)
    channels: dict[str, Channel] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    # Slack's 3 s; a test may shorten it (stricter, never longer) to keep slow-provider tests short.
    trigger_lifetime: float = TRIGGER_LIFETIME
    triggers: TriggerBook = field(default_factory=lambda: TRIGGERS)
    usergroups: UserGroupsStandIn = field(default_factory=UserGroupsStandIn)  # usergroups.*
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    # Slack never reuses a view id or hash, across runs either: a per-run prefix keeps the
    # shell's second run on one database from looking like a replay of the first.
    _run: str = field(default_factory=lambda: secrets.token_hex(3).upper())
    _server: LoopbackServer | None = None

    def add_user(self, user: SlackUser) -> None:
        self.users[user.id] = user

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.id] = channel

    def fail(self, fault: Fault) -> None:
        self.faults.append(fault)

    def user_by_email(self, email: str) -> SlackUser | None:
        return next((u for u in self.users.values() if u.email.lower() == email.lower()), None)

    def drain(self) -> list[Call]:
        taken, self.calls = self.calls, []
        return taken

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def response_url(self) -> str:
        return f"{self.url}/response/{next(self._ids)}"

    # -- server ---------------------------------------------------------------------

    def asgi(self) -> Starlette:
        """The stand-in as an ASGI app: `start()` serves it on loopback; the tests' in-process
        tier reaches it without a socket (tests/helpers/harness.py) and sets `url` itself."""
        return Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["POST", "GET"]),
                Route("/response/{rid}", self._response, methods=["POST"]),
            ]
        )

    async def start(self) -> str:
        self._server = LoopbackServer(self.asgi())
        self.url = await self._server.start()
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            await self._server.stop()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # -- handlers -------------------------------------------------------------------

    async def _response(self, request: Request) -> Response:
        args = await _args(request)
        if refused := block_rules.response_url_refusal(args):  # HTTP 400 + the error (block_rules.py)
            self.calls.append(Call("response_url", args, {"ok": False, "error": refused}))
            return PlainTextResponse(refused, status_code=400)
        answer = {"ok": True, "response_id": request.path_params["rid"]}
        self.calls.append(Call("response_url", args, answer))
        return JSONResponse({"ok": True})

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        args = await _args(request)
        fault = next((f for f in self.faults if f.method == method and f.times > 0), None)
        if fault is not None:
            fault.times -= 1
            self.calls.append(Call(method, args, {"ok": False, "error": fault.error}))
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else None
            body = {"ok": False, "error": fault.error}
            return JSONResponse(body, status_code=fault.status, headers=headers)
        answer = self._answer(method, args)
        self.calls.append(Call(method, args, answer))
        return JSONResponse(answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if (invalid := block_rules.refusal(method, args)) is not None:
            return invalid  # blocks or a view Slack refuses (block_rules.py)
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "B0SWITCH",
                "team": "Example",
                "url": "https://example.slack.com/",
                "is_enterprise_install": False,
            }
        if method == "users.info":
            user = self.users.get(str(args.get("user")))
            return (
                {"ok": True, "user": user.as_api()} if user else {"ok": False, "error": "user_not_found"}
            )
        if method == "users.lookupByEmail":
            found = self.user_by_email(str(args.get("email", "")))
            return (
                {"ok": True, "user": found.as_api()}
                if found
                else {"ok": False, "error": "users_not_found"}
            )
        if method == "apps.connections.open":
            return (
                {"ok": True, "url": self.socket_url}
                if self.socket_url
                else {"ok": False, "error": "not_allowed"}
            )
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))[1:]}}
        if method == "conversations.info":
            room = self._channel(str(args.get("channel", "")))
            if room is None or (room.is_private and not room.is_member):
                return {"ok": False, "error": "channel_not_found"}  # as Slack hides private ones
            return {
                "ok": True,
                "channel": {
                    "id": room.id,
                    "name": room.name,
                    "is_private": room.is_private,
                    "is_member": room.is_member,
                },
            }
        if method.startswith("chat."):
            refused = self._refuse_post(str(args.get("channel", "")))
            if refused:
                return {"ok": False, "error": refused}
            channel = str(args.get("channel") or "")
            if channel[:1] in ("U", "W"):  # as Slack: a post to a user lands in their DM (D…)
                channel = "D" + channel[1:]
            ts = str(args.get("ts") or "") if method == "chat.update" else f"{next(self._ids)}.000100"
            return {"ok": True, "channel": channel, "ts": ts}
        if method in TRIGGER_METHODS:
            refused = self.triggers.exchange(
                str(args.get("trigger_id") or ""), lifetime=min(self.trigger_lifetime, TRIGGER_LIFETIME)
            )
            if refused:
                return {"ok": False, "error": refused}
        if method == "views.update":
            if refused := refuse_update(self.views, args):
                return {"ok": False, "error": refused}
            named = str(args.get("external_id") or "")
            args["view_id"] = args.get("view_id") or next(
                k for k, v in self.views.items() if v.get("external_id") == named
            )
        if method.startswith("views."):
            return {"ok": True, "view": self._store_view(method, args)}
        if method.startswith("usergroups."):
            names = {c.name.lower() for c in self.channels.values()}
            return self.usergroups.answer(method, args, self.users, names)
        return {"ok": True}

    def _channel(self, channel_id: str) -> Channel | None:
        """Known channels, else any public-looking id (a public channel the app isn't in)."""
        if channel_id in self.channels:
            return self.channels[channel_id]
        if channel_id.startswith("C"):
            return Channel(channel_id, channel_id.lower())
        return None

    def _refuse_post(self, channel_id: str) -> str | None:
        """Slack's answer to chat.post* where the app can't post (chat:write.public granted)."""
        if channel_id.startswith(("U", "W", "D")) or channel_id in self.users:
            return None
        found = self._channel(channel_id)
        if found is None or (found.is_private and not found.is_member):
            return "channel_not_found"
        return None

    def _store_view(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        view = dict(view or {})
        previous = self.views.get(str(args.get("view_id") or ""))
        view_id = str(args.get("view_id") or "") or f"V{self._run}{next(self._ids):06d}"
        view.update(
            id=view_id,
            hash=f"{int(time.time())}.{secrets.token_hex(4)}",
            team_id=TEAM_ID,
            app_id="A0SWITCHB",
            bot_id="B0SWITCH",
            root_view_id=(previous or {}).get("root_view_id") or view_id,
            previous_view_id=None,
            state={"values": {}},
        )
        view.setdefault("type", "modal")
        if method == "views.publish":
            view["id"] = view["root_view_id"] = f"VHOME{args.get('user_id')}"
            view["type"] = "home"
        self.views[view["id"]] = view
        return view


async def _args(request: Request) -> dict[str, Any]:
    raw = await request.body()
    args: dict[str, Any] = dict(request.query_params)
    if request.headers.get("content-type", "").startswith("application/json"):
        args.update(json.loads(raw or b"{}"))
    else:
        args.update(parse_qsl(raw.decode(), keep_blank_values=True))
    for key in ("blocks", "view", "attachments"):
        if isinstance(args.get(key), str):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(args[key])
    return args
