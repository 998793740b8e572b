"""A running Switchboard for tests: the real ASGI app, Bolt, the Slack stand-in, emulators.

`Harness.command()` sends a signed slash command over HTTP to the app, waits for the
background work, and returns the HTTP answer plus every Slack Web API call the bot made
meanwhile.

Two tiers (README "Development"):
- in-process (the default): requests reach the whole ASGI app (`build_asgi`: signature
  checks, the body limits, Bolt) through `httpx.ASGITransport`, with no socket and no
  server; RingCentral's pushes reach it the same way (tests.helpers.network).
- served (`served=True`, or the `served` marker on a test using the `bot` fixture): the app
  behind uvicorn on loopback with `serve`'s protocol class and limits, for what only a
  socket shows (the HTTP parser, heads and bodies as bytes on the wire, connections).

The Slack stand-in follows the tier: in-process, the bot's aiohttp calls to it (slack_sdk's
Web API client, `response_url` answers) go through a session handing them to its ASGI app
(tests.helpers.slack_session); served, it is on loopback too.
"""

from __future__ import annotations

import atexit
import json
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bot.devkit.faults import Faults
from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import EmulatorState
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.shell import payloads
from bot.devkit.shell.block_rules import MODAL, message_problems, view_problems
from bot.devkit.shell.standin import Call, SlackStandIn, SlackUser, slack_id_for
from bot.runtime import Runtime, start_runtime
from bot.settings import Settings, load_settings
from bot.store import Database
from bot.store import audit as audit_store
from bot.store.audit import AuditRecord
from bot.store.migrate import upgrade
from bot.web import protocol, signing
from bot.web.asgi import build_asgi
from tests.helpers.network import Network, forget, host_in_process
from tests.helpers.slack_session import InProcessSession

PEOPLE = {
    "alice": ("Alice Martin", "America/Los_Angeles"),
    "bob": ("Bob Chen", "America/New_York"),
    "carol": ("Carol Diaz", "Europe/Paris"),
    "admin": ("Ada Admin", "America/Los_Angeles"),
    "dave": ("Dave Rossi", "Europe/Rome"),  # on VoipNow: linked by an admin
    "erin": ("Erin Walsh", "America/Chicago"),
    "frank": ("Frank Osei", "America/New_York"),
    "grace": ("Grace Sato", "Asia/Tokyo"),
    "heidi": ("Heidi Berg", "Europe/Berlin"),
    "mallory": ("Mallory Stranger", "UTC"),  # in Slack, not in any provider directory
}


def user_id(name: str) -> str:
    return slack_id_for(f"{name}@example.com")


def ack_problems(body: dict[str, Any]) -> list[str]:
    """What Slack would refuse in an ack's view or blocks: an ack reaches Slack without the
    stand-in, so the harness holds it to the stand-in's rules (bot/devkit/shell/block_rules.py)."""
    view = body.get("view")
    if isinstance(view, dict):  # response_action update / push: a modal
        return view_problems(view, MODAL)
    blocks = body.get("blocks")
    if blocks is None:
        return []
    return message_problems(blocks) if isinstance(blocks, list) else ["blocks is not an array"]


@dataclass
class Reply:
    status: int
    body: dict[str, Any] | None
    calls: list[Call]

    def texts(self) -> list[str]:
        """Every text the user saw: the ack and what the bot posted."""
        found = [str(self.body.get("text", ""))] if self.body else []
        for call in self.calls:
            if call.method in ("response_url", "chat.postEphemeral", "chat.postMessage"):
                found.append(str(call.args.get("text", "")))
        return [t for t in found if t]

    @property
    def text(self) -> str:
        return "\n".join(self.texts())


@dataclass
class Harness:
    settings: Settings
    runtime: Runtime
    slack: SlackStandIn
    server: LoopbackServer | None  # None in-process
    secret: str
    http: httpx.AsyncClient
    url: str  # where the bot answers: a loopback port when served, else its own host in-process
    slack_session: InProcessSession | None = None  # how the bot reaches `slack` in-process

    @property
    def served(self) -> bool:
        return self.server is not None

    @property
    def rc(self) -> EmulatorState:
        return self._rc_app.emulator_state

    @property
    def rc_faults(self) -> Faults:
        return self._rc_app.faults

    @property
    def _rc_app(self) -> RingCentralEmulator:
        emulators = self.runtime.providers.emulators
        assert emulators is not None
        return emulators.ringcentral

    async def post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return await self.http.post(f"{self.url}/slack/events", content=body, headers=headers)

    async def signed(self, body: bytes, *, content_type: str | None = None) -> Reply:
        headers = signing.signed_headers(self.secret, body)
        if content_type:
            headers["Content-Type"] = content_type
        self.slack.drain()
        response = await self.post(body, headers)
        await self.runtime.tasks.wait_idle()
        parsed = json.loads(response.content) if response.content.startswith(b"{") else None
        assert parsed is None or not ack_problems(parsed), (ack_problems(parsed), parsed)
        return Reply(response.status_code, parsed, self.slack.drain())

    async def command(self, who: str, command: str, text: str = "") -> Reply:
        body = payloads.slash_command(
            user_id=user_id(who),
            user_name=who,
            command=command,
            text=text,
            response_url=self.slack.response_url(),
        )
        return await self.signed(body)

    async def submit(self, who: str, view: dict[str, Any], values: dict[str, str]) -> Reply:
        """Submit a modal as Slack would, typing `values` into its plain-text inputs."""
        state = {
            block: {"value": {"type": "plain_text_input", "value": text}}
            for block, text in values.items()
        }
        body = payloads.view_submission(user_id=user_id(who), user_name=who, view=view, values=state)
        return await self.signed(body)

    async def click(
        self,
        who: str,
        action: dict[str, Any],
        *,
        view: dict[str, Any] | None = None,
        message_ts: str | None = None,
    ) -> Reply:
        """`who` presses `action` (in `view`, or on the message posted at `message_ts`)."""
        body = payloads.block_action(
            user_id=user_id(who),
            user_name=who,
            action=action,
            response_url=self.slack.response_url(),
            view=view,
            message_ts=message_ts,
        )
        return await self.signed(body)

    def latest_view(self, reply: Reply) -> dict[str, Any]:
        """The modal as it stands after the reply (the stand-in keeps each view's last state)."""
        ids = [str(c.args.get("view_id") or "") for c in reply.calls if c.method == "views.update"]
        opened = [c for c in reply.calls if c.method == "views.open"]
        if not ids and opened:
            ids = [view_id for view_id, v in self.slack.views.items() if v.get("callback_id")]
        return self.slack.views[ids[-1]]

    async def audit_rows(self) -> list[AuditRecord]:
        async with self.runtime.database.session() as session:
            return await audit_store.recent(session, limit=1000)

    async def close(self) -> None:
        await self.http.aclose()
        if self.server is not None:
            await self.server.stop()
        else:
            forget(self.url)
        await self.runtime.aclose()
        if self.slack_session is not None:
            await self.slack_session.close()
            forget(self.slack.url)
        await self.slack.stop()


_AT_HEAD: list[Path] = []  # this process's SQLite database made at head, once


def _new_sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite database nobody has made yet; None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    target = Path(url.database)
    return None if target.exists() else target  # exists: a restart on an earlier instance's


async def _made_at_head() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="switchboard-at-head-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = Database(f"sqlite:///{folder / 'head.db'}")
    try:
        await upgrade(database)
    finally:
        await database.dispose()
    return folder / "head.db"


async def _start_at_head(database_url: str) -> None:
    """A new SQLite file starts as a copy of one this process made at head (`upgrade`, as the
    runtime would: ~35 ms of DDL per bot otherwise); any other database is left to the
    runtime to migrate on start, as before."""
    target = _new_sqlite_file(database_url)
    if target is None:
        return
    if not _AT_HEAD:
        _AT_HEAD.append(await _made_at_head())
    shutil.copyfile(_AT_HEAD[0], target)


def new_browser() -> httpx.AsyncClient:
    """A client (a browser: its own cookie jar) reaching bots whichever their tier."""
    return httpx.AsyncClient(transport=Network(), timeout=30)


async def start_harness(database_url: str, *, served: bool = False, **overrides: Any) -> Harness:
    """The bot on `database_url` with the settings `overrides`; in-process unless `served`."""
    slack = SlackStandIn()
    slack_session: InProcessSession | None = None
    if served:
        await slack.start()
    else:
        slack.url = host_in_process(slack.asgi())
        slack_session = InProcessSession(Network())
    for name, (real_name, tz) in PEOPLE.items():
        email = f"{name}@example.com"
        slack.add_user(SlackUser(slack_id_for(email), name, real_name, email, tz))
    secret = secrets.token_hex(16)
    defaults: dict[str, Any] = {
        "slack_bot_token": "xoxb-test-" + secrets.token_hex(6),
        "slack_signing_secret": secret,
        "slack_api_url": slack.api_url,
        "database_url": database_url,
        "switchboard_providers": "emulator",
        "switchboard_admins": user_id("admin"),
        "switchboard_allowed_countries": "US,FR",  # a US company with a Paris office
        # The emulator enforces no rate limits unless asked to; tests of limits turn both on.
        "switchboard_rate_budget": False,
    }
    settings = load_settings(**{**defaults, **overrides})
    await _start_at_head(settings.database_url)
    runtime = await start_runtime(
        settings,
        migrate=True,
        slack_session=slack_session.as_aiohttp() if slack_session is not None else None,
    )
    app = build_asgi(runtime, signing_secret=secret)
    server: LoopbackServer | None = None
    if served:
        server = LoopbackServer(app, http=protocol.protocol_class())  # as `serve` runs it
        url = await server.start()
    else:
        url = host_in_process(app)
    emulated = runtime.providers.emulators
    emulator = emulated.ringcentral if emulated is not None else None
    if emulator is not None:
        emulator.pusher.transport = Network()  # its pushes reach in-process bots too
    if not settings.switchboard_public_url:
        runtime.sign_in.public_url = url  # the callback is served here (known once listening)
    return Harness(settings, runtime, slack, server, secret, new_browser(), url, slack_session)


async def start_configured(
    database_url: str, url: str, *, client_id: str, jwt: str = "admin@example.com", **overrides: Any
) -> Harness:
    """A bot configured for "real" RingCentral, pointed at an emulator served on loopback."""
    return await start_harness(
        database_url,
        switchboard_providers="ringcentral",
        ringcentral_server_url=url,
        ringcentral_client_id=client_id,
        ringcentral_client_secret="secret-" + secrets.token_hex(8),
        ringcentral_jwt=jwt,
        **overrides,
    )


@asynccontextmanager
async def two_sharing_slack(database_url: str, url: str) -> AsyncIterator[tuple[Harness, Harness]]:
    """Two instances of one deployment: one database, one RingCentral app and one Slack
    workspace (the second calls the first's stand-in), closed in reverse order."""
    client_id = "client-" + secrets.token_hex(3)
    first = await start_configured(database_url, url, client_id=client_id)
    try:
        second = await start_configured(
            database_url, url, client_id=client_id, slack_api_url=first.slack.api_url
        )
        try:
            yield first, second
        finally:
            await second.close()
    finally:
        await first.close()
