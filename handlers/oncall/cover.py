"""Cover and swap: `/oncall take`, `release` and `give`; the hotline follows at once."""

from __future__ import annotations

import logging

from bot.domain.records import RotationRecord
from bot.errors import UserError
from bot.mrkdwn import mention
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.errors import describe
from bot.slack.respond import Respond
from handlers.shared import split_mention
from handlers.shared.when import ends_at, local_time, split_when

log = logging.getLogger(__name__)
GIVE_USAGE = "Usage: `/oncall give @user [rotation] [for 2h | until 18:00]`."


async def take(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    words, when = split_when(rest)
    rotation = await runtime.rotations.pick(words[0] if words else None, actor.slack_user_id)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    until = ends_at(when, runtime.clock(), zone)
    override = await runtime.rotations.take(actor, rotation, until)
    end = local_time(override.end, zone, runtime.clock())
    await respond(
        **message(f"You are on call for *{rotation.name}* until {end}; the hotline follows now.")
    )
    await _follow(runtime, rotation)


async def release(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if len(rest) > 1:
        raise UserError("Usage: `/oncall release [rotation]`.")
    rotation = await runtime.rotations.pick(rest[0] if rest else None, actor.slack_user_id)
    state = await runtime.rotations.release(actor, rotation)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    until = local_time(state.current.end, zone, runtime.clock())
    await respond(
        **message(
            f"Your override on *{rotation.name}* has ended; the schedule applies again: "
            f"{mention(state.current.member)} is on call until {until}."
        )
    )
    await _follow(runtime, rotation)


async def give(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    to, words = split_mention(rest)
    if to is None:
        raise UserError(GIVE_USAGE)
    words, when = split_when(words)
    if len(words) > 1:
        raise UserError(GIVE_USAGE)
    rotation = await runtime.rotations.pick(words[0] if words else None, actor.slack_user_id)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    override = await runtime.rotations.give(actor, rotation, to, ends_at(when, runtime.clock(), zone))
    now = runtime.clock()
    await respond(
        **message(
            f"{mention(to)} is on call for *{rotation.name}* until "
            f"{local_time(override.end, zone, now)}; the hotline follows now. They have been told."
        )
    )
    their_zone = (await runtime.identity.profile(to)).timezone
    await runtime.notify(
        to,
        f"{mention(actor.slack_user_id)} gave you the *{rotation.name}* shift: you are on call until "
        f"{local_time(override.end, their_zone, now)}.",
    )
    await _follow(runtime, rotation)


async def _follow(runtime: Runtime, rotation: RotationRecord) -> None:
    """The hotline follows the change now (the scheduler would within a tick)."""
    try:
        await runtime.handoffs.reconcile_now(rotation.id)
    except Exception as exc:  # the scheduler will try again
        log.warning("immediate handoff failed: %s", describe(exc, log))
