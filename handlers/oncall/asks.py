"""`/oncall cover [rotation] [for 2h | until 18:00 | <from> to <to>]` and `/oncall cover cancel`:
a message in the rotation's channel with "Take it"; the first other member's press makes the
override (the store decides, across instances), the message says who covers, both are told."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.mrkdwn import escape, mention
from bot.oncall.covers import Pressed
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.cover_cards import TAKE, card
from bot.slack.errors import describe, error_code, why_undeliverable
from bot.slack.respond import Respond
from handlers.oncall.span import span, split_span
from handlers.shared import Payload, Tell, actor_of
from handlers.shared.background import in_channel, run_after_ack
from handlers.shared.when import ends_at, local_time, split_when

log = logging.getLogger(__name__)
USAGE = "Usage: `/oncall cover [rotation] [for 2h | until 18:00 | <from> to <to>]` or `/oncall cover cancel`."
SAID = {
    "already": "Someone else took this one already; thank you all the same.",
    "expired": "This request's time has passed; nothing changed.",
    "cancelled": "This request was cancelled; nothing changed.",
    "own": "That's your own request; someone else has to take it.",
    "gone": "This request (or its rotation) no longer exists.",
}


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(TAKE)(partial(pressed, runtime))


async def pressed(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    """The "Take it" button of a cover request: the store decides who was first; the presser is told."""
    await ack()
    actor = actor_of(context)
    value = str(action.get("value") or "")
    if not value.isdigit():
        return
    channel = str((body.get("channel") or {}).get("id") or "")
    tell = in_channel(runtime, channel, actor.slack_user_id)
    run_after_ack(runtime, _take(runtime, actor, int(value), tell), tell=tell)


async def ask(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if rest and rest[0].lower() == "cancel":
        await _cancel(runtime, actor, rest[1:], respond)
        return
    names = {r.name for r in await runtime.rotations.rotations()}
    named = rest[0].lower() if rest and rest[0].lower() in names else None
    words = rest[1:] if named else rest
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    now = runtime.clock()
    window = None
    spoken, when = split_when(words)
    spanned = split_span(words) if not when else None
    if when:
        end = ends_at(when, now, zone)
        assert end is not None
        window = (now, end)
        words = spoken
    elif spanned is not None:
        words, start_words, end_words = spanned
        window = span(start_words, end_words, now, zone)
    if words:
        raise UserError(USAGE)
    rotation = await runtime.rotations.pick(named, actor.slack_user_id)
    cover = await runtime.rotations.covers.ask(actor, rotation, window)
    text, blocks = card(rotation, cover)
    try:
        posted = await runtime.slack.chat_postMessage(channel=rotation.channel, text=text, blocks=blocks)
    except SlackApiError as exc:
        await runtime.rotations.covers.withdraw(cover.id)
        why = why_undeliverable(error_code(exc))
        raise UserError(f"Couldn't ask <#{rotation.channel}>: {why}. Nothing was asked.") from None
    await runtime.rotations.covers.placed(cover.id, str(posted.get("channel") or ""), str(posted["ts"]))
    await respond(
        **message(
            f"Asked <#{rotation.channel}> to cover you on *{rotation.name}* from "
            f"{local_time(cover.start, zone, now)} to {local_time(cover.end, zone, now)}; you'll "
            "be told who takes it. `/oncall cover cancel` withdraws it."
        )
    )


async def _cancel(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if len(rest) > 1:
        raise UserError(USAGE)
    rotation = await runtime.rotations.pick(rest[0], actor.slack_user_id) if rest else None
    ended = await runtime.rotations.covers.cancel(actor, rotation)
    for cover in ended:
        found = next((r for r in await runtime.rotations.rotations() if r.id == cover.rotation_id), None)
        if found is not None and cover.ts:
            text, blocks = card(found, cover, state="cancelled")
            await runtime.slack.chat_update(channel=cover.channel, ts=cover.ts, text=text, blocks=blocks)
    await respond(**message(f"Cancelled {len(ended)} cover request{'s' if len(ended) > 1 else ''}."))


async def _take(runtime: Runtime, actor: Actor, cover_id: int, tell: Tell) -> None:
    try:
        pressed = await runtime.rotations.covers.take(actor, cover_id)
    except Exception as exc:
        await tell(f":warning: {describe(exc, log)}")
        return
    await _after(runtime, pressed, tell)


async def _after(runtime: Runtime, pressed: Pressed, tell: Tell) -> None:
    cover, rotation = pressed.cover, pressed.rotation
    if pressed.outcome == "not-member":
        assert rotation is not None
        await tell(f"Only members of `{rotation.name}` can take it.")
        return
    if pressed.outcome != "taken":
        if pressed.outcome in ("expired", "cancelled") and cover and rotation and cover.ts:
            text, blocks = card(rotation, cover, state=pressed.outcome)
            await runtime.slack.chat_update(channel=cover.channel, ts=cover.ts, text=text, blocks=blocks)
        await tell(SAID[pressed.outcome])
        return
    assert cover is not None
    assert rotation is not None
    if cover.ts:
        text, blocks = card(rotation, cover)
        await runtime.slack.chat_update(channel=cover.channel, ts=cover.ts, text=text, blocks=blocks)
    now = runtime.clock()
    for person, line in (
        (
            cover.taken_by,
            "You cover {asker} on *{rotation}* from {start} to {end}; the hotline follows.",
        ),
        (cover.asker, "{taker} covers you on *{rotation}* from {start} to {end}."),
    ):
        zone = (await runtime.identity.profile(person)).timezone
        await runtime.notify(
            person,
            line.format(
                asker=mention(cover.asker),
                taker=mention(cover.taken_by),
                rotation=escape(rotation.name),
                start=local_time(cover.start, zone, now),
                end=local_time(cover.end, zone, now),
            ),
        )
    try:
        await runtime.handoffs.reconcile_now(rotation.id)
    except Exception as exc:  # the scheduler tries again within a tick
        log.warning("cover not applied at once: %s", describe(exc, log))
