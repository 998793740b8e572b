"""The /forward modal: list with per-row menus, add and edit forms, remove confirmation.

Flow for slow providers (docs/design.md): a loading view opens at once with the trigger id; data
arrives by views.update. A submission is checked locally first (`response_action: errors`),
then answered with a "saving…" view; the outcome replaces it by views.update: the list with
a notice, or the form again with the provider's reason under the field.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.destinations import DestinationPolicy
from bot.domain.notices import plain
from bot.errors import UserError
from bot.providers.errors import ProviderError, Rejected
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.forwarding import MAX_LABEL, Change, Listing
from bot.slack.actions import RETRY_TOGGLE
from bot.slack.blocks import View, section
from bot.slack.errors import describe
from bot.slack.rendering import render
from bot.slack.respond import Respond
from handlers.forward import views
from handlers.forward.ids import ActionId, BlockId, ViewId
from handlers.forward.switch import status_text, switch_blocks
from handlers.forward.views import Meta, NumberForm
from handlers.shared import Payload, Tell, actor_of, reply_with
from handlers.shared.background import in_window, run_after_ack
from handlers.shared.home_page import publish_home
from handlers.shared.listeners import meta_of, opened_by_them
from handlers.shared.windows import open_then_fill

log = logging.getLogger(__name__)


async def open_modal(
    runtime: Runtime,
    actor: Actor,
    trigger_id: str,
    subject: str | None = None,
    *,
    tell: Tell | None = None,
) -> None:
    """The window opens now (in the listener, after the ack); the list follows by update."""
    meta = Meta(opener=actor.slack_user_id, subject=subject or actor.slack_user_id)
    await open_then_fill(
        runtime,
        trigger_id,
        views.loading(meta),
        user=actor.slack_user_id,
        tell=tell,
        work=lambda view_id: show_list(runtime, actor, meta, view_id),
        failed=lambda text: views.modal(ViewId.LIST, "Forwarding", [section(text)], meta),
    )


async def show_list(
    runtime: Runtime,
    actor: Actor,
    meta: Meta,
    view_id: str,
    notice: str = "",
    *,
    known: Change | None = None,
    status: tuple[str, bool] | None = None,
) -> None:
    """The list view; `known`/`status`: what a change just learnt (not read again)."""
    service = runtime.forwarding
    try:
        if known is not None and known.numbers is not None:
            listing = Listing(await service.line(actor, meta.subject), known.numbers)
        else:
            listing = await service.listing(actor, meta.subject, recent=True)
        text, on = status if status is not None else await status_text(runtime, actor, meta.subject)
        switch = switch_blocks(text, meta.subject, on=on)
        view = views.list_modal(
            listing, meta, service.region, switch=switch, notice=notice, admin=actor.is_admin
        )
    except Exception as exc:
        view = views.modal(ViewId.LIST, "Forwarding", [section(describe(exc, log))], meta)
    await runtime.slack.views_update(view_id=view_id, view=view)


def register(app: AsyncApp, runtime: Runtime) -> None:
    window = [opened_by_them(Meta)]
    app.action(ActionId.OPEN.value)(partial(open_from_home, runtime))
    app.action(ActionId.ADD.value, middleware=window)(partial(add_clicked, runtime))
    app.action(ActionId.PICK_USER.value, middleware=window)(partial(user_picked, runtime))
    app.action(ActionId.ROW.value, middleware=window)(partial(row_menu, runtime))
    app.view(ViewId.ADD.value, middleware=window)(partial(form_submitted, runtime))
    app.view(ViewId.EDIT.value, middleware=window)(partial(form_submitted, runtime))
    app.view(ViewId.REMOVE.value, middleware=window)(partial(remove_confirmed, runtime))


def _failed(meta: Meta) -> Callable[[str], View]:
    """What the window says when its work can't run or fails."""
    return lambda text: views.modal(ViewId.LIST, "Forwarding", [section(f":warning: {text}")], meta)


def _in_window(runtime: Runtime, view_id: str, meta: Meta, work: Coroutine[Any, Any, Any]) -> None:
    run_after_ack(runtime, work, tell=in_window(runtime, view_id, _failed(meta)))


async def open_from_home(
    runtime: Runtime, ack: AsyncAck, body: Payload, context: AsyncBoltContext
) -> None:
    await ack()
    await open_modal(runtime, actor_of(context), str(body["trigger_id"]))


async def add_clicked(runtime: Runtime, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
    await ack()
    meta, view_id = meta_of(context, Meta), str(body["view"]["id"])
    _in_window(runtime, view_id, meta, _add_form(runtime, actor_of(context), meta, view_id))


async def _add_form(runtime: Runtime, actor: Actor, meta: Meta, view_id: str) -> None:
    words = await _type_words(runtime, actor, meta.subject)
    view = views.form(meta, number=None, region=runtime.forwarding.region, words=words)
    await runtime.slack.views_update(view_id=view_id, view=view)


async def _type_words(runtime: Runtime, actor: Actor, subject: str) -> list[str]:
    """The type words of the provider of the subject's line that keeps forwarding numbers
    (every provider's in use when that can't be told: the service then says why)."""
    try:
        return runtime.forwarding.type_words(await runtime.forwarding.line(actor, subject))
    except UserError:
        return runtime.forwarding.type_words()


async def user_picked(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    await ack()
    meta, view_id = meta_of(context, Meta), str(body["view"]["id"])
    chosen = Meta(opener=meta.opener, subject=str(action.get("selected_user") or meta.subject))
    _in_window(runtime, view_id, chosen, show_list(runtime, actor_of(context), chosen, view_id))


async def row_menu(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    await ack()
    meta, view_id = meta_of(context, Meta), str(body["view"]["id"])
    verb, _, number_id = str(action.get("selected_option", {}).get("value", "")).partition(":")
    _in_window(runtime, view_id, meta, _row(runtime, actor_of(context), meta, verb, number_id, view_id))


async def form_submitted(
    runtime: Runtime, ack: AsyncAck, view: Payload, context: AsyncBoltContext
) -> None:
    meta = meta_of(context, Meta)
    form = NumberForm.of(view)
    phone, label = form.phone, form.label or None
    errors = _local_errors(phone, label, runtime.destinations, editing=bool(meta.number))
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack(response_action="update", view=views.saving(meta))
    key, view_id = f"{view['id']}:{view.get('hash', '')}", str(view["id"])
    work = _save(runtime, actor_of(context), meta, view_id, phone, label, key)
    _in_window(runtime, view_id, meta, work)


async def remove_confirmed(
    runtime: Runtime, ack: AsyncAck, view: Payload, context: AsyncBoltContext
) -> None:
    meta = meta_of(context, Meta)
    await ack(response_action="update", view=views.saving(meta))
    key, view_id = f"{view['id']}:{view.get('hash', '')}", str(view["id"])
    _in_window(runtime, view_id, meta, _remove(runtime, actor_of(context), meta, view_id, key))


async def _row(
    runtime: Runtime, actor: Actor, meta: Meta, verb: str, number_id: str, view_id: str
) -> None:
    service = runtime.forwarding
    listing = await service.listing(actor, meta.subject)  # the number to act on: read afresh
    number = next((n for n in listing.numbers if n.id == number_id and n.editable), None)
    if number is None:
        await show_list(runtime, actor, meta, view_id, notice="That number is no longer there.")
        return
    chosen = Meta(opener=meta.opener, subject=meta.subject, number=number.id)
    if verb == "remove":
        view = views.confirm_remove(chosen, number, service.region)
    else:
        words = service.type_words(listing.line)
        view = views.form(chosen, number=number, region=service.region, words=words)
    await runtime.slack.views_update(view_id=view_id, view=view)


async def _save(
    runtime: Runtime, actor: Actor, meta: Meta, view_id: str, phone: str, label: str | None, key: str
) -> None:
    service = runtime.forwarding
    try:
        if meta.number:
            change = await service.edit(
                actor, meta.subject, number_id=meta.number, phone=phone, label=label, key=key
            )
        else:
            change = await service.add(actor, meta.subject, phone=phone, label=label, key=key)
    except (UserError, Rejected) as exc:
        sentence = render(exc.said)  # mrkdwn, as views.form shows it
        field = BlockId.LABEL if "label" in sentence.lower() else BlockId.PHONE
        current = None
        if meta.number:
            listing = await service.listing(actor, meta.subject, recent=True)
            current = next((n for n in listing.numbers if n.id == meta.number), None)
        words = await _type_words(runtime, actor, meta.subject)
        view = views.form(
            meta, number=current, region=service.region, words=words, error=(field.value, sentence)
        )
        await runtime.slack.views_update(view_id=view_id, view=view)
        return
    except ProviderError as exc:
        await show_list(runtime, actor, meta, view_id, notice=f":warning: {describe(exc, log)}")
        return
    await _done(runtime, actor, meta, view_id, change)


async def _remove(runtime: Runtime, actor: Actor, meta: Meta, view_id: str, key: str) -> None:
    try:
        change = await runtime.forwarding.remove(actor, meta.subject, number_id=meta.number, key=key)
    except (UserError, ProviderError) as exc:
        await show_list(runtime, actor, meta, view_id, notice=f":warning: {describe(exc, log)}")
        return
    await _done(runtime, actor, meta, view_id, change)


async def _done(runtime: Runtime, actor: Actor, meta: Meta, view_id: str, change: Change) -> None:
    notice = (
        ""
        if change.replayed
        else f":white_check_mark: {views.sentence(change, runtime.forwarding.region)}"
    )
    status, on = await status_text(runtime, actor, meta.subject)  # read once for both views
    await show_list(
        runtime,
        actor,
        Meta(opener=meta.opener, subject=meta.subject),
        view_id,
        notice,
        known=change,
        status=(status, on),
    )
    if not change.replayed:
        own = actor.slack_user_id == meta.subject  # the Home speaks to its owner ("Your calls")
        await publish_home(
            runtime, meta.subject, numbers=change.numbers, status=status if own else None, status_on=on
        )


def _local_errors(
    phone: str, label: str | None, policy: DestinationPolicy, *, editing: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if phone or not editing:
        try:
            policy.number(phone)
        except UserError as exc:
            errors[BlockId.PHONE.value] = plain(exc.said)  # a field error is plain text
    if label and len(label) > MAX_LABEL:
        errors[BlockId.LABEL.value] = f"A label can be {MAX_LABEL} characters at most."
    return errors


def register_retry(app: AsyncApp, runtime: Runtime) -> None:
    """The "Try again now" button of a failed timed revert."""
    app.action(RETRY_TOGGLE)(partial(retry, runtime))


async def retry(
    runtime: Runtime,
    ack: AsyncAck,
    action: Payload,
    respond: Respond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    work = _retry(runtime, actor_of(context), str(action.get("value", "")), respond)
    run_after_ack(runtime, work, tell=reply_with(respond))


async def _retry(runtime: Runtime, actor: Actor, raw_id: str, respond: Respond) -> None:
    toggle = await runtime.toggles.get(int(raw_id)) if raw_id.isdigit() else None
    if toggle is None or toggle.status != "active":
        await respond(text="That forwarding has already ended.", replace_original=True)
        return
    actor.require_for(toggle.slack_user_id)
    try:
        result = await runtime.toggles.revert(toggle)
    except Exception as exc:
        await respond(text=f"Still couldn't end it: {describe(exc, log)}", replace_original=False)
        return
    done = (
        "Your calls ring as usual again."
        if result != "changed"
        else "It was changed elsewhere; left as it is."
    )
    await respond(text=done, replace_original=True)
