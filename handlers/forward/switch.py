"""The quick toggle as buttons: an on/off switch with a duration picker (modal and App Home)."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.domain.forwarding import Kind
from bot.mrkdwn import code
from bot.phone import display
from bot.runtime import Runtime
from bot.services.actor import NOT_ADMIN, Actor
from bot.services.forwarding import Number
from bot.slack.blocks import (
    Block,
    Option,
    View,
    actions,
    button,
    input_block,
    option,
    option_text,
    section,
    static_select,
    text_input,
)
from bot.slack.blocks import modal as blocks_modal
from bot.slack.errors import describe
from handlers.forward.ids import ViewId
from handlers.forward.quick import QuickToggle
from handlers.forward.views import Meta, modal
from handlers.shared import Payload, actor_of
from handlers.shared.background import by_dm, in_window, run_after_ack
from handlers.shared.forms import Form, Text
from handlers.shared.home_page import publish_home
from handlers.shared.listeners import meta_of, opened_by_them, window_meta
from handlers.shared.when import ends_at, local_time
from handlers.shared.windows import fill_window, open_window

log = logging.getLogger(__name__)

OPEN, OFF, FORM = "forward_toggle_open", "forward_toggle_off", "forward_toggle_form"
TARGET, DURATION, VALUE = "target", "duration", "value"
TYPED_NUMBER, TYPED_UNTIL = "typed_number", "typed_until"
LOADING = ":hourglass_flowing_sand: Reading your forwarding…"
DURATIONS = [
    ("30 minutes", "for 30m"),
    ("2 hours", "for 2h"),
    ("1 day", "for 1d"),
    ("Until I turn it off", ""),
]


def switch_blocks(status_text: str, subject: str, *, on: bool) -> list[Block]:
    """The switch; "Turn off" only when something is on."""
    buttons = [button("Forward all calls…", OPEN, subject, style="primary")]
    if on:
        buttons.append(button("Turn off", OFF, subject, style="danger"))
    return [section(f"*Forward all calls*: {status_text}"), actions(*buttons)]


def toggle_form(meta: Meta, numbers: list[Number], region: str, now: str = "") -> View:
    """What `/forward to` offers: a number (one of mine, or typed), voicemail, how long or
    until when; with the current state on top."""
    targets = [
        option(option_text(n.label, display(n.phone, region)), n.phone) for n in numbers if n.forwarding
    ]
    targets.append(option("Voicemail", "voicemail"))
    durations = [option(text, value or "off") for text, value in DURATIONS]
    blocks: list[Block] = [section(f"*Now*: {now}")] if now else []
    blocks += [
        _select(TARGET, "Send all my calls to", targets, targets[0]),
        _typed(TYPED_NUMBER, "…or this number", "+1 650 555 0199 (instead of the choice above)"),
        _select(DURATION, "For how long", durations, durations[1]),
        _typed(TYPED_UNTIL, "…or until", "18:00, or tomorrow 9:00 (instead of the choice above)"),
    ]
    return modal_view(meta, blocks)


def _typed(block_id: str, label: str, hint: str) -> Block:
    return input_block(block_id, label, text_input(VALUE, placeholder=hint), optional=True)


def modal_view(meta: Meta, blocks: list[Block]) -> View:
    return blocks_modal(FORM, "Forward all calls", blocks, meta.dump(), submit="Turn on")


def notice(meta: Meta, text: str) -> View:
    return modal(ViewId.SAVING, "Forward all calls", [section(text)], meta)


def _select(block_id: str, label: str, options: list[Option], initial: Option) -> Block:
    return input_block(block_id, label, static_select(VALUE, options, initial))


async def status_text(runtime: Runtime, actor: Actor, subject: str) -> tuple[str, bool]:
    """The forwarding state in words, and whether something is on (unknown counts as on)."""
    try:
        line, status = await runtime.toggles.status(actor, subject, recent=True)
        described = await QuickToggle(runtime).describe(actor.slack_user_id, line, status)
        return described, status.mode != "normal"
    except Exception as exc:
        return describe(exc, log), True


def register(app: AsyncApp, runtime: Runtime) -> None:
    in_their_window_or_home = [opened_by_them(Meta, or_outside=True)]
    app.action(OPEN, middleware=in_their_window_or_home)(partial(open_form, runtime))
    app.action(OFF, middleware=in_their_window_or_home)(partial(turn_off, runtime))
    app.view(FORM, middleware=[opened_by_them(Meta)])(partial(submitted, runtime))


class ToggleForm(Form):
    """The "Forward all calls" form as submitted: a number typed or chosen, for how long."""

    target: Text = ""
    typed_number: Text = ""
    duration: Text = ""
    typed_until: Text = ""


async def open_form(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    """The window opens now, loading (from the App Home: a trigger lasts 3 s); the form
    follows by update once the provider has answered. Pressed inside the /forward
    window, that window turns into the form."""
    await ack()
    actor = actor_of(context)
    meta = Meta(opener=actor.slack_user_id, subject=str(action.get("value") or actor.slack_user_id))
    if window_meta(context, Meta) is not None:
        view_id: str | None = str(body["view"]["id"])
    else:
        view_id = await open_window(
            runtime, str(body["trigger_id"]), notice(meta, LOADING), user=actor.slack_user_id
        )
    if view_id is not None:
        fill_window(
            runtime,
            view_id,
            _fill(runtime, actor, meta, view_id),
            lambda text: notice(meta, f":warning: {text}"),
        )


async def turn_off(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    await ack()
    actor = actor_of(context)
    subject = str(action.get("value") or actor.slack_user_id)
    view = body.get("view") or {}
    key = f"{view.get('id', '')}:{view.get('hash', '')}:{OFF}:{subject}"
    window = str(view["id"]) if window_meta(context, Meta) is not None else None
    if window is not None:
        meta = Meta(opener=actor.slack_user_id, subject=subject)
        tell = in_window(runtime, window, lambda text: notice(meta, f":warning: {text}"))
    else:
        tell = by_dm(runtime, actor.slack_user_id)
    run_after_ack(runtime, _off(runtime, actor, subject, key, window), tell=tell)


async def submitted(runtime: Runtime, ack: AsyncAck, view: Payload, context: AsyncBoltContext) -> None:
    meta = meta_of(context, Meta)
    form = ToggleForm.of(view)
    duration = f"until {form.typed_until}" if form.typed_until else form.duration
    await ack(response_action="update", view=notice(meta, "Saving…"))
    key, view_id = f"{view['id']}:{view.get('hash', '')}", str(view["id"])
    work = _on(
        runtime, actor_of(context), meta, view_id, form.typed_number or form.target, duration, key
    )
    tell = in_window(runtime, view_id, lambda text: notice(meta, f":warning: {text}"))
    run_after_ack(runtime, work, tell=tell)


async def _fill(runtime: Runtime, actor: Actor, meta: Meta, view_id: str) -> None:
    listing = await runtime.forwarding.listing(actor, meta.subject, recent=True)
    now, _ = await status_text(runtime, actor, meta.subject)
    view = toggle_form(meta, listing.numbers, runtime.forwarding.region, now)
    await runtime.slack.views_update(view_id=view_id, view=view)


async def _on(
    runtime: Runtime, actor: Actor, meta: Meta, view_id: str, target: str, duration: str, key: str
) -> None:
    if not actor.may_act_for(meta.subject):  # a forged subject: refused before any read
        await runtime.slack.views_update(view_id=view_id, view=notice(meta, f":warning: {NOT_ADMIN}"))
        return
    try:
        line = await runtime.toggles.line(actor, meta.subject)
        zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
        until = ends_at(duration.split() if duration != "off" else [], runtime.clock(), zone)
        kind: Kind = "voicemail" if target == "voicemail" else "forward"
        if kind == "forward":
            target = runtime.destinations.number(target)  # a typed number: the one policy
        result = await runtime.toggles.turn_on(
            actor, line, kind=kind, target="" if kind == "voicemail" else target, until=until, key=key
        )
        where = "voicemail" if kind == "voicemail" else code(display(target, runtime.forwarding.region))
        ends = (
            f" until {local_time(result.until, zone, runtime.clock())}"
            if result.until
            else " until you turn it off"
        )
        text = (
            f":white_check_mark: All calls now go to {where}{ends}."
            if not result.replayed
            else "Already on."
        )
    except Exception as exc:
        text = f":warning: {describe(exc, log)}"
    await runtime.slack.views_update(view_id=view_id, view=notice(meta, text))
    await publish_home(runtime, meta.subject)


async def _off(runtime: Runtime, actor: Actor, subject: str, key: str, window: str | None) -> None:
    """Turn it off; the outcome shown in the window it was pressed in (`window`, a view id)
    or, from the App Home, by DM."""
    if not actor.may_act_for(subject):  # a forged button value: refused before any read
        await runtime.notify(actor.slack_user_id, f":warning: {NOT_ADMIN}")
        return
    try:
        line = await runtime.toggles.line(actor, subject)
        result = await runtime.toggles.turn_off(actor, line, key=key)
        text = (
            ":white_check_mark: Forwarding is off; your calls ring as usual again."
            if result.reverted != "changed"
            else ":warning: The forwarding had been changed in the provider's app since; left as it is."
        )
    except Exception as exc:
        text = f":warning: {describe(exc, log)}"
    if window is not None:
        await runtime.slack.views_update(
            view_id=window, view=notice(Meta(opener=actor.slack_user_id, subject=subject), text)
        )
    await publish_home(runtime, subject)
    if window is None:
        await runtime.notify(actor.slack_user_id, text)
