"""/oncall: who is on call, take over, the schedule, my number, and the rotation modal."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.domain import notices
from bot.errors import UserError
from bot.mrkdwn import code
from bot.oncall.validation import RotationSpec
from bot.phone import display
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.channels import cannot_post_in
from bot.slack.errors import describe
from bot.slack.respond import Respond
from handlers.oncall import asks, away, calendar, cover, escalate, group, home_section, views
from handlers.shared import Payload, actor_of, reply_with
from handlers.shared.background import in_background, in_window, run_after_ack
from handlers.shared.home_page import home_page
from handlers.shared.listeners import admins_only, opened_by_them
from handlers.shared.suggest import did_you_mean
from handlers.shared.windows import open_then_fill

log = logging.getLogger(__name__)
VERBS = (
    "take",
    "release",
    "give",
    "schedule",
    "number",
    "create",
    "delete",
    "escalate",
    "group",
    "calendar",
    "cover",
    "away",
    "help",
)
ADMINS_ONLY = (
    "Only Switchboard admins can create, change or delete a rotation; members take over "
    "shifts with `/oncall take`."
)


def register(app: AsyncApp, runtime: Runtime) -> None:
    home_page(runtime).add(home_section.ORDER, home_section.shifts_section)
    asks.register(app, runtime)
    app.command("/oncall")(partial(oncall, runtime))
    checks = [opened_by_them(views.RotationMeta), admins_only("name", ADMINS_ONLY)]
    app.view(views.CALLBACK, middleware=checks)(partial(saved, runtime))


async def oncall(
    runtime: Runtime,
    ack: AsyncAck,
    command: Payload,
    respond: Respond,
    context: AsyncBoltContext,
) -> None:
    actor = actor_of(context)
    words = str(command.get("text") or "").split()
    verb = words[0].lower() if words else ""
    if verb in ("help", "?"):
        await ack(**message(_usage(runtime)))
        return
    if verb in ("create", "delete") and not actor.is_admin:
        await ack(**message(ADMINS_ONLY))  # before any form is filled in
        return
    await ack()
    if verb == "create":  # the window opens now (a trigger lasts 3 s); the form follows
        name = words[1] if len(words) > 1 else None
        user = actor.slack_user_id
        loading = views.notice(user, ":hourglass_flowing_sand: Opening the rotation form…")
        await open_then_fill(
            runtime,
            str(command["trigger_id"]),
            loading,
            user=user,
            tell=reply_with(respond),
            work=lambda view_id: _open_form(runtime, actor, view_id, name),
            failed=lambda text: views.notice(user, f":warning: {text}"),
        )
        return
    verbs = {
        "take": cover.take,
        "release": cover.release,
        "give": cover.give,
        "schedule": _schedule,
        "number": _number,
        "delete": _delete,
        "escalate": escalate.escalate,
        "group": group.group,
        "calendar": calendar.calendar,
        "cover": asks.ask,
        "away": away.away,
    }
    work = verbs.get(verb, _who)
    rest = words[1:] if verb in verbs else words
    in_background(runtime, respond, work(runtime, actor, rest, respond))


async def saved(runtime: Runtime, ack: AsyncAck, view: Payload, context: AsyncBoltContext) -> None:
    """The rotation form, from the admin who opened it (the listener middleware checked both)."""
    form = views.RotationForm.of(view)
    if not form.shift_length.isdigit():
        await ack(response_action="errors", errors={"shift_length": "A whole number, e.g. 1."})
        return
    spec = RotationSpec(**{**form.model_dump(), "shift_length": int(form.shift_length)})
    actor = actor_of(context)
    await ack(response_action="update", view=views.notice(actor.slack_user_id, "Saving…"))
    view_id = str(view["id"])
    failed = in_window(
        runtime, view_id, lambda text: views.notice(actor.slack_user_id, f":warning: {text}")
    )
    run_after_ack(runtime, _save(runtime, actor, spec, view_id), tell=failed)


async def _save(runtime: Runtime, actor: Actor, spec: RotationSpec, view_id: str) -> None:
    """After the ack: the channel check and the save (provider look-ups) in the background.

    A refusal puts the form back as typed, with one sentence on top.
    """
    problem = await cannot_post_in(runtime.slack, spec.channel)
    try:
        if problem:
            raise UserError(problem)
        rotation = await runtime.rotations.save(actor, spec)
    except Exception as exc:
        form = views.rotation_form(
            actor.slack_user_id,
            spec.timezone,
            None,
            runtime.identity.line_typing,
            typed=spec,
            error=describe(exc, log),
        )
        await runtime.slack.views_update(view_id=view_id, view=form)
        return
    text = f"Rotation *{rotation.name}* saved; the hotline {code(rotation.hotline_label)} follows it from now on."
    await runtime.slack.views_update(view_id=view_id, view=views.notice(actor.slack_user_id, text))
    await runtime.notify(actor.slack_user_id, text)


async def _open_form(runtime: Runtime, actor: Actor, view_id: str, name: str | None) -> None:
    existing = next(
        (r for r in await runtime.rotations.rotations() if name and r.name == name.lower()), None
    )
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone or "UTC"
    await runtime.slack.views_update(
        view_id=view_id,
        view=views.rotation_form(actor.slack_user_id, zone, existing, runtime.identity.line_typing),
    )


def _usage(runtime: Runtime) -> str:
    """/oncall's help, naming the mobile type of the providers in use (the on-call default)."""
    return views.usage(runtime.forwarding.mobile_type())


async def _who(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if len(rest) > 1:
        raise UserError(did_you_mean(rest[0], VERBS) + _usage(runtime))
    try:
        rotation = await runtime.rotations.pick(rest[0] if rest else None, actor.slack_user_id)
    except UserError as exc:
        if not rest:
            raise
        raise UserError(
            notices.message(exc.said, f"\n{did_you_mean(rest[0], VERBS)}{_usage(runtime)}")
        ) from None
    state = await runtime.rotations.now(rotation)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    await respond(**message(views.now_text(state, zone, runtime.clock())))


async def _schedule(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    rotation = await runtime.rotations.pick(rest[0] if rest else None, actor.slack_user_id)
    shifts = await runtime.rotations.schedule(rotation)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    off = await runtime.rotations.time_off(rotation)
    await respond(**message(views.schedule_text(rotation, shifts, zone, runtime.clock(), off)))


async def _delete(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if len(rest) != 1:
        raise UserError("Usage: `/oncall delete <rotation>`.")
    rotation = await runtime.rotations.delete(actor, rest[0])
    await respond(
        **message(
            f"Deleted rotation *{rotation.name}*; its hotline {code(rotation.hotline_label)} "
            "is back as it was before the rotation took it."
        )
    )


async def _number(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if not rest:
        raise UserError("Usage: `/oncall number <number>`.")
    number = await runtime.rotations.set_number(actor, " ".join(rest))
    region = runtime.settings.switchboard_default_region
    await respond(
        **message(f"When you are on call, the hotline will ring {code(display(number, region))}.")
    )
