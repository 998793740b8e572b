"""The /transfer modal: my calls, where to send one, and the outcome."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.destinations import DestinationPolicy, Refused
from bot.errors import UserError
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.calls import Destination
from bot.slack.errors import describe
from bot.slack.rendering import render
from handlers.shared.windows import open_then_fill
from handlers.transfer import views
from handlers.transfer.parsing import parse_destination
from handlers.transfer.views import CALL, DEST, USER, VALUE, Meta

log = logging.getLogger(__name__)


async def open_modal(
    runtime: Runtime,
    actor: Actor,
    trigger_id: str,
    subject: str,
    *,
    destination: str = "",
    tell: Any = None,
) -> None:
    """The window opens now (in the listener, after the ack: a trigger lasts 3 s); the
    calls are read after, and the form replaces the loading view."""
    meta = Meta(actor.slack_user_id, subject)
    await open_then_fill(
        runtime,
        trigger_id,
        views.loading(meta),
        user=actor.slack_user_id,
        tell=tell,
        work=lambda view_id: _fill(runtime, actor, meta, view_id, destination),
        failed=lambda text: views.result(meta, text),
    )


async def _fill(runtime: Runtime, actor: Actor, meta: Meta, view_id: str, destination: str) -> None:
    try:
        found = await runtime.transfers.calls(actor, meta.subject)
        view = views.form(meta, found, destination)
    except Exception as exc:
        view = views.result(meta, describe(exc, log))
    await runtime.slack.views_update(view_id=view_id, view=view)


def register(app: AsyncApp, runtime: Runtime) -> None:
    @app.action(views.PICK)
    async def pick(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        """ "Choose the call…" under `/transfer <destination>` when several calls are live:
        its own trigger opens the picker at once, the destination filled in."""
        await ack()
        user = str(body["user"]["id"])
        actor = Actor(user, runtime.is_admin(user))
        try:
            chosen = json.loads(str(action.get("value") or "{}"))
            subject, destination = str(chosen["subject"]), str(chosen["to"])
        except (ValueError, KeyError, TypeError):
            return
        await open_modal(runtime, actor, str(body["trigger_id"]), subject, destination=destination)

    @app.view(views.CALLBACK)
    async def submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = str(body["user"]["id"])
        try:
            meta = Meta.load(str(view.get("private_metadata", "")))
        except (ValueError, KeyError, TypeError):
            meta = None
        if meta is None or meta.opener != user:
            await ack()
            return
        actor = Actor(user, runtime.is_admin(user))
        values = view.get("state", {}).get("values", {})
        ref, destination, errors = _read(values, runtime.destinations)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        assert destination is not None
        await ack(
            response_action="update", view=views.result(meta, ":hourglass_flowing_sand: Transferring…")
        )
        key = f"{view['id']}:{view.get('hash', '')}"
        runtime.tasks.spawn(_run(runtime, actor, meta, str(view["id"]), ref, destination, key))


def _read(
    values: dict[str, Any], policy: DestinationPolicy
) -> tuple[str, Destination | None, dict[str, str]]:
    def field(block: str) -> dict[str, Any]:
        return dict(values.get(block, {}).get(VALUE) or {})

    ref = str((field(CALL).get("selected_option") or {}).get("value") or "")
    colleague = str(field(USER).get("selected_user") or "")
    typed = str(field(DEST).get("value") or "").strip()
    errors: dict[str, str] = {}
    if not ref:
        errors[CALL] = "Pick the call to transfer."
    destination = None
    if colleague:
        destination = Destination("user", colleague, f"<@{colleague}>")
    elif not typed:
        errors[DEST] = "Type a number, an extension or voicemail, or pick a colleague."
    else:
        try:
            destination = parse_destination(typed, policy)
        except Refused as exc:
            errors[DEST] = render(exc.said).replace("`", "")
        except UserError:
            errors[DEST] = "That isn't a number, an extension or voicemail."
    return ref, destination, errors


async def _run(
    runtime: Runtime,
    actor: Actor,
    meta: Meta,
    view_id: str,
    ref: str,
    destination: Destination,
    key: str,
) -> None:
    try:
        calls = await runtime.transfers.calls(actor, meta.subject)
        call = next((c for c in calls if c.ref == ref), None)
        if call is None:
            text = "That call has already ended."
        else:
            outcome = await runtime.transfers.transfer(actor, call, destination, key=key)
            text = views.done_text(outcome.text) if not outcome.replayed else "Already transferred."
    except Exception as exc:
        text = views.failed_text(describe(exc, log))
    await runtime.slack.views_update(view_id=view_id, view=views.result(meta, text))
