"""The /transfer modal: my calls, where to send one, and the outcome."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.destinations import DestinationPolicy, Refused
from bot.domain.notices import plain
from bot.errors import UserError
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.calls import Destination
from bot.slack.errors import describe
from handlers.shared import Payload, Tell, actor_of
from handlers.shared.background import in_window, run_after_ack
from handlers.shared.listeners import meta_of, opened_by_them
from handlers.shared.windows import open_then_fill
from handlers.transfer import views
from handlers.transfer.parsing import parse_destination
from handlers.transfer.views import CALL, DEST, Meta, Picked, TransferForm

log = logging.getLogger(__name__)


async def open_modal(
    runtime: Runtime,
    actor: Actor,
    trigger_id: str,
    subject: str,
    *,
    destination: str = "",
    tell: Tell | None = None,
) -> None:
    """The window opens now (in the listener, after the ack: a trigger lasts 3 s); the
    calls are read after, and the form replaces the loading view."""
    meta = Meta(opener=actor.slack_user_id, subject=subject)
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
    app.action(views.PICK)(partial(pick, runtime))
    app.view(views.CALLBACK, middleware=[opened_by_them(Meta)])(partial(submitted, runtime))


async def pick(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    """ "Choose the call…" under `/transfer <destination>` when several calls are live:
    its own trigger opens the picker at once, the destination filled in."""
    await ack()
    chosen = Picked.load(action.get("value"))
    if chosen is None:
        return
    trigger = str(body["trigger_id"])
    await open_modal(runtime, actor_of(context), trigger, chosen.subject, destination=chosen.to)


async def submitted(runtime: Runtime, ack: AsyncAck, view: Payload, context: AsyncBoltContext) -> None:
    meta = meta_of(context, Meta)
    ref, destination, errors = _read(TransferForm.of(view), runtime.destinations)
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    assert destination is not None
    await ack(
        response_action="update", view=views.result(meta, ":hourglass_flowing_sand: Transferring…")
    )
    key, view_id = f"{view['id']}:{view.get('hash', '')}", str(view["id"])
    work = _run(runtime, actor_of(context), meta, view_id, ref, destination, key)
    failed = in_window(runtime, view_id, lambda text: views.result(meta, views.failed_text(text)))
    run_after_ack(runtime, work, tell=failed)


def _read(
    form: TransferForm, policy: DestinationPolicy
) -> tuple[str, Destination | None, dict[str, str]]:
    ref, colleague, typed = form.call, form.user, form.destination
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
            errors[DEST] = plain(exc.said)  # a field error is plain text
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
