"""The Bolt AsyncApp before any feature: admission, middleware and the error handler.

The features (handlers/) sit above this layer; `bot.compose.build_app` registers them. The
runtime sits above it too (it builds this layer's notices, profiles and workspace): the app
takes what it needs from it as an `AppRuntime`, and never imports `bot.runtime`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from slack_bolt.async_app import AsyncApp, AsyncBoltContext, AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot import metrics
from bot.context import command_var, new_request_id, request_id_var, slack_user_var
from bot.domain.clock import monotonic
from bot.errors import outcome_of
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.errors import describe
from bot.slack.respond import Responder
from bot.slack.text import plain
from bot.slack.workspace import SlackWorkspace
from bot.tasks import BUSY, TaskRunner

log = logging.getLogger("bot.requests")
MAX_TEXT_CHARS = 2000  # docs/contract.md "Limits at the front"
PER_USER_IN_PROGRESS = 3
NOT_OUR_WORKSPACE = "Switchboard serves only the workspace it is installed in; nothing was done."
SLACK_UNCONFIRMED = "Switchboard can't confirm this workspace with Slack right now; try again shortly."
TOO_LONG = f"That's too long for a command (at most {MAX_TEXT_CHARS:,} characters); nothing was done."
YOURS_BUSY = (
    f"You already have {PER_USER_IN_PROGRESS} commands in progress; "
    "wait for them to finish, then try again."
)


class AppRuntime(Protocol):
    """What the app takes from the runtime (`bot.runtime.Runtime` is one)."""

    @property
    def tasks(self) -> TaskRunner: ...
    @property
    def slack(self) -> AsyncWebClient: ...
    @property
    def workspace(self) -> SlackWorkspace: ...
    @property
    def responder(self) -> Responder: ...
    def is_admin(self, slack_user_id: str) -> bool: ...


class SwitchboardApp(AsyncApp):
    """Bolt's app with admission around each dispatch (HTTP and Socket Mode alike).

    Bolt runs listeners after the middleware chain has returned, so the slot a command
    was admitted with can only be given back (if its listener spawned nothing) here.
    """

    def __init__(self, runtime: AppRuntime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

    async def async_dispatch(self, req: AsyncBoltRequest) -> BoltResponse:
        started = monotonic()
        tasks = self.runtime.tasks
        command = metrics.command_started(str(req.body["command"])) if "command" in req.body else None
        if command is not None:
            refused = self._admit(req.body)
            if refused is not None:
                metrics.command_acked(command, "refused")
                metrics.ACK_SECONDS.observe(monotonic() - started)
                return _ack_only(refused)
        elif not self._admit_interaction(req.body):
            return BoltResponse(status=200, body="")  # acknowledged, nothing done
        try:
            response = await super().async_dispatch(req)
            if response.status >= 500 and command is not None:
                command.worst("error")
            ahead = tasks.waiting_ahead()
            if ahead and "command" in req.body and response.status == 200 and not response.body:
                return _ack_only(WAITING.format(ahead=ahead))  # nobody waits silently
            return response
        finally:
            tasks.offer_room()
            metrics.ACK_SECONDS.observe(monotonic() - started)
            if command is not None:
                metrics.command_acked(command)
            elapsed = round((monotonic() - started) * 1000, 1)
            log.info("%s handled in %.1f ms", command_var.get(), elapsed, extra={"duration_ms": elapsed})

    def _admit(self, body: dict[str, Any]) -> str | None:
        """None when the command may run; else the one sentence its ack says instead.

        Checked before anything is parsed or asked, and never waited on: the text's length,
        the person's own commands in progress (one person's burst never fills everyone's
        slots), then a place in the background line.
        """
        command, user = str(body.get("command")), str(body.get("user_id") or "-")
        if len(str(body.get("text") or "")) > MAX_TEXT_CHARS:
            log.warning("refused %s: text over %d characters", command, MAX_TEXT_CHARS)
            return TOO_LONG
        tasks = self.runtime.tasks
        if tasks.in_progress(user) >= PER_USER_IN_PROGRESS:
            log.warning("refused %s: %s has %d in progress", command, user, PER_USER_IN_PROGRESS)
            return YOURS_BUSY
        if not tasks.admit(owner=user):
            log.warning("busy: %s refused, the background line is full", command)
            return BUSY
        return None

    def _admit_interaction(self, body: dict[str, Any]) -> bool:
        """Events and button presses count towards a person's work in progress like
        commands (at most 3 at once), and one person's App Home opens in flight together
        are served once (docs/contract.md "Fair shares and a hardened front"). False: drop it.

        Slack shows nothing for an event, and a button's ack has no text, so a press
        refused here is only logged: the person's earlier work is still answering them.
        """
        user, what = _interaction(body)
        if user is None:
            return True
        tasks = self.runtime.tasks
        key = f"home:{user}" if what == "event:app_home_opened" else None
        if key is not None and tasks.in_flight(key):
            log.info("%s for %s: already being served", what, user)
            return False
        if tasks.in_progress(user) >= PER_USER_IN_PROGRESS:
            log.warning("refused %s: %s has %d in progress", what, user, PER_USER_IN_PROGRESS)
            return False
        if not tasks.admit(owner=user, key=key):
            log.warning("busy: %s refused, the background line is full", what)
            return False
        return True


def bolt_app(runtime: AppRuntime, *, signing_secret: str | None = None) -> AsyncApp:
    """The app with no listener yet; signatures are verified by the HTTP front (bot.web.asgi),
    not by Bolt."""
    app = SwitchboardApp(
        runtime,
        name="switchboard",  # else Bolt walks the stack with inspect.stack() (0.1-0.4 s at start)
        client=runtime.slack,
        signing_secret=signing_secret or "unused-verified-in-asgi",
        process_before_response=True,
        request_verification_enabled=False,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("slack_bolt"),
    )

    @app.middleware
    async def identify(
        context: AsyncBoltContext, body: dict[str, Any], next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        """Deny by default: every listener gets an Actor (or nothing runs)."""
        request_id_var.set(new_request_id())
        user_id = context.user_id or ""
        if "command" in body and isinstance(body.get("text"), str):
            body["text"] = plain(body["text"])  # Slack's escaped mentions and links, read once
        slack_user_var.set(user_id or "-")
        command_var.set(_what(body))
        workspace = await runtime.workspace.get()
        if workspace is None or not all(
            workspace.owns(team, enterprise) for team, enterprise in _named_workspaces(body, context)
        ):
            log.warning("refused a request from workspace %s", context.team_id or "-")
            text = NOT_OUR_WORKSPACE if workspace is not None else SLACK_UNCONFIRMED
            return _ack_only(text) if "command" in body else BoltResponse(status=200, body="")
        if user_id:
            context["actor"] = Actor(slack_user_id=user_id, is_admin=runtime.is_admin(user_id))
        response_url = context.response_url or _response_url(body)
        if response_url:
            context["respond"] = runtime.responder.for_url(response_url)
        return await next()

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], respond: Any) -> None:
        metrics.command_failed(outcome_of(error))
        sentence = describe(error, logging.getLogger("bot.errors"))
        if body.get("response_url"):
            await respond(text=sentence, response_type="ephemeral", replace_original=False)

    return app


WAITING = "Working on it: Switchboard is busy, {ahead} ahead of you. The answer follows here."


def _ack_only(text: str) -> BoltResponse:
    """Refused in the ack itself, with no call out (too long, too many, or busy)."""
    return BoltResponse(
        status=200, body=json.dumps(message(text)), headers={"Content-Type": "application/json"}
    )


def _response_url(body: dict[str, Any]) -> str | None:
    urls = body.get("response_urls") or [{}]
    found = body.get("response_url") or (
        urls[0].get("response_url") if isinstance(urls[0], dict) else None
    )
    return str(found) if found else None


def _named_workspaces(
    body: dict[str, Any], context: AsyncBoltContext
) -> list[tuple[str | None, str | None]]:
    """Every (team, enterprise) the request names; each must be ours.

    Bolt's own `context.team_id` prefers `view.app_installed_team_id`, which a view
    submitted from another workspace may set to ours: so `team.id`, `user.team_id` and
    `team_id` are checked too, whichever the request carries (docs/contract.md "Fair shares and a
    hardened front").
    """
    enterprise = context.enterprise_id
    named: list[tuple[str | None, str | None]] = [(context.team_id, enterprise)]
    team, user = body.get("team"), body.get("user")
    for found in (
        team.get("id") if isinstance(team, dict) else team,
        user.get("team_id") if isinstance(user, dict) else None,
        body.get("team_id"),
    ):
        if found is not None:
            named.append((str(found), enterprise))
    return named


def _interaction(body: dict[str, Any]) -> tuple[str | None, str]:
    """(the person acting, what) for an event a person caused or a button press; else no one.

    Only events whose `user` is the person acting (a string id) count: a `user_change`
    carries a profile object, about someone who asked for nothing.
    """
    what = _what(body)
    if body.get("type") == "event_callback":
        event = body.get("event")
        user = event.get("user") if isinstance(event, dict) else None
        return (user if isinstance(user, str) and user else None), what
    if body.get("type") == "block_actions":
        user = body.get("user")
        found = user.get("id") if isinstance(user, dict) else None
        return (found if isinstance(found, str) and found else None), what
    return None, what


def _what(body: dict[str, Any]) -> str:
    if "command" in body:
        return str(body["command"])
    if body.get("type") == "event_callback":
        return "event:" + str((body.get("event") or {}).get("type"))
    if body.get("type") == "block_actions":
        acts = body.get("actions") or [{}]
        return "action:" + str(acts[0].get("action_id"))
    if body.get("type") == "view_submission":
        return "view:" + str((body.get("view") or {}).get("callback_id"))
    return str(body.get("type", "-"))
