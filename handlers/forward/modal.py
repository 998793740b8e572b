"""The /forward modal: list with per-row menus, add and edit forms, remove confirmation.

Flow for slow providers (docs/design.md): a loading view opens at once with the trigger id; data
arrives by views.update. A submission is checked locally first (`response_action: errors`),
then answered with a "saving…" view; the outcome replaces it by views.update: the list with
a notice, or the form again with the provider's reason under the field.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.destinations import DestinationPolicy
from bot.errors import UserError
from bot.providers.errors import ProviderError, Rejected
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.forwarding import MAX_LABEL, Change, Listing
from bot.slack.actions import RETRY_TOGGLE
from bot.slack.blocks import section
from bot.slack.errors import describe
from bot.slack.rendering import render
from handlers.forward import views
from handlers.forward.ids import ActionId, BlockId, ViewId
from handlers.forward.switch import status_text, switch_blocks
from handlers.forward.views import Meta
from handlers.shared.home_page import publish_home
from handlers.shared.windows import open_then_fill

log = logging.getLogger(__name__)


async def open_modal(
    runtime: Runtime, actor: Actor, trigger_id: str, subject: str | None = None, *, tell: Any = None
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
        view = views.list_modal(listing, meta, service.region, notice=notice, admin=actor.is_admin)
        text, on = status if status is not None else await status_text(runtime, actor, meta.subject)
        view["blocks"][-1:-1] = switch_blocks(text, meta.subject, on=on)
    except Exception as exc:
        view = views.modal(ViewId.LIST, "Forwarding", [section(describe(exc, log))], meta)
    await runtime.slack.views_update(view_id=view_id, view=view)


def register(app: AsyncApp, runtime: Runtime) -> None:
    service = runtime.forwarding

    def actor_meta(body: dict[str, Any]) -> tuple[Actor, Meta] | None:
        """The actor and the view's metadata; None when someone else submits a view they didn't open."""
        user = str(body["user"]["id"])
        try:
            meta = Meta.load(str(body["view"].get("private_metadata", "")))
        except (ValueError, KeyError, TypeError):
            return None
        if meta.opener != user:
            log.warning("view from %s opened by %s: ignored", user, meta.opener)
            return None
        return Actor(user, runtime.is_admin(user)), meta

    @app.action(ActionId.OPEN.value)
    async def open_from_home(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user = str(body["user"]["id"])
        await open_modal(runtime, Actor(user, runtime.is_admin(user)), str(body["trigger_id"]))

    @app.action(ActionId.ADD.value)
    async def add_clicked(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        found = actor_meta(body)
        if found:
            view = views.form(found[1], number=None, region=service.region)
            runtime.tasks.spawn(runtime.slack.views_update(view_id=body["view"]["id"], view=view))

    @app.action(ActionId.PICK_USER.value)
    async def user_picked(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        found = actor_meta(body)
        if found:
            actor, meta = found
            chosen = Meta(opener=meta.opener, subject=str(action.get("selected_user") or meta.subject))
            runtime.tasks.spawn(show_list(runtime, actor, chosen, str(body["view"]["id"])))

    @app.action(ActionId.ROW.value)
    async def row_menu(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        found = actor_meta(body)
        if found:
            verb, _, number_id = str(action.get("selected_option", {}).get("value", "")).partition(":")
            runtime.tasks.spawn(_row(runtime, *found, verb, number_id, str(body["view"]["id"])))

    @app.view(ViewId.ADD.value)
    @app.view(ViewId.EDIT.value)
    async def form_submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        found = actor_meta(body)
        if found is None:
            await ack()
            return
        actor, meta = found
        phone, label = _values(view)
        errors = _local_errors(phone, label, service.destinations, editing=bool(meta.number))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack(response_action="update", view=views.saving(meta))
        key = f"{view['id']}:{view.get('hash', '')}"
        runtime.tasks.spawn(_save(runtime, actor, meta, view["id"], phone, label, key))

    @app.view(ViewId.REMOVE.value)
    async def remove_confirmed(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        found = actor_meta(body)
        if found is None:
            await ack()
            return
        actor, meta = found
        await ack(response_action="update", view=views.saving(meta))
        key = f"{view['id']}:{view.get('hash', '')}"
        runtime.tasks.spawn(_remove(runtime, actor, meta, view["id"], key))


async def _row(
    runtime: Runtime, actor: Actor, meta: Meta, verb: str, number_id: str, view_id: str
) -> None:
    service = runtime.forwarding
    listing = await service.listing(actor, meta.subject)  # the number to act on: read afresh
    number = next((n for n in listing.numbers if n.id == number_id and n.editable), None)
    if number is None:
        await show_list(runtime, actor, meta, view_id, notice="That number is no longer there.")
        return
    chosen = Meta(meta.opener, meta.subject, number.id)
    if verb == "remove":
        view = views.confirm_remove(chosen, number, service.region)
    else:
        view = views.form(chosen, number=number, region=service.region)
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
        sentence = render(exc.said) if isinstance(exc, UserError) else exc.user_message
        field = BlockId.LABEL if "label" in sentence.lower() else BlockId.PHONE
        current = None
        if meta.number:
            listing = await service.listing(actor, meta.subject, recent=True)
            current = next((n for n in listing.numbers if n.id == meta.number), None)
        view = views.form(meta, number=current, region=service.region, error=(field.value, sentence))
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
        Meta(meta.opener, meta.subject),
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


def _values(view: dict[str, Any]) -> tuple[str, str | None]:
    values = view.get("state", {}).get("values", {})

    def read(block: BlockId) -> str:
        return str(
            (values.get(block.value, {}).get(ActionId.VALUE.value) or {}).get("value") or ""
        ).strip()

    return read(BlockId.PHONE), read(BlockId.LABEL) or None


def _local_errors(
    phone: str, label: str | None, policy: DestinationPolicy, *, editing: bool
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if phone or not editing:
        try:
            policy.number(phone)
        except UserError as exc:
            errors[BlockId.PHONE.value] = render(exc.said).replace("`", "")
    if label and len(label) > MAX_LABEL:
        errors[BlockId.LABEL.value] = f"A label can be {MAX_LABEL} characters at most."
    return errors


def register_retry(app: AsyncApp, runtime: Runtime) -> None:
    """The "Try again now" button of a failed timed revert."""

    @app.action(RETRY_TOGGLE)
    async def retry(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        user = str(body["user"]["id"])
        runtime.tasks.spawn(
            _retry(runtime, Actor(user, runtime.is_admin(user)), str(action.get("value", "")), respond)
        )


async def _retry(runtime: Runtime, actor: Actor, raw_id: str, respond: Any) -> None:
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
