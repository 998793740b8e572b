"""`/oncall away <from> to <to>` and `/oncall away cancel`: time off. I am skipped in every
rotation then; the next member in order covers (and gets the usual reminder)."""

from __future__ import annotations

import logging

from bot.errors import UserError
from bot.mrkdwn import date_token, mention
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.errors import describe
from bot.slack.respond import Respond
from handlers.oncall.span import span, split_span
from handlers.shared.when import local_time

log = logging.getLogger(__name__)
USAGE = (
    "Usage: `/oncall away <from> to <to>` (e.g. `2026-12-24 to 2026-12-26`) or `/oncall away cancel`."
)


async def away(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if rest and rest[0].lower() == "cancel":
        if len(rest) > 1:
            raise UserError(USAGE)
        rotations = await runtime.rotations.back(actor)
        for rotation in rotations:
            await runtime.notices.post(
                rotation.channel, f"{mention(actor.slack_user_id)} is back: their time off is cancelled."
            )
            await _follow(runtime, rotation.id)
        await respond(**message("Your time off is cancelled; your shifts are yours again."))
        return
    spanned = split_span(rest)
    if spanned is None or spanned[0]:
        raise UserError(USAGE)
    zone = (await runtime.identity.profile(actor.slack_user_id)).timezone
    now = runtime.clock()
    start, end = span(spanned[1], spanned[2], now, zone)
    rotations = await runtime.rotations.away(actor, start, end)
    for rotation in rotations:
        await runtime.notices.post(
            rotation.channel,
            f"{mention(actor.slack_user_id)} is away from {date_token(max(start, now))} to "
            f"{date_token(end)}; the next member in order covers their *{rotation.name}* shifts then.",
        )
        await _follow(runtime, rotation.id)
    names = ", ".join(f"*{r.name}*" for r in rotations)
    await respond(
        **message(
            f"You're away from {local_time(max(start, now), zone, now)} to {local_time(end, zone, now)}: "
            f"skipped in {names}, where the next member in order covers you (they get the usual "
            "reminder). `/oncall schedule` shows who; `/oncall away cancel` ends it."
        )
    )


async def _follow(runtime: Runtime, rotation_id: int) -> None:
    try:
        await runtime.handoffs.reconcile_now(rotation_id)
    except Exception as exc:  # the scheduler tries again within a tick
        log.warning("time off not applied at once: %s", describe(exc, log))
