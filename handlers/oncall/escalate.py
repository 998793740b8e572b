"""`/oncall escalate <rotation> to next|@user|off [after 20s]` (admins).

The escalation lives in the provider's routing (the hotline rings the on-call person, then
the backup, then where its calls went before), so it holds while Switchboard is down; the
engine applies it at once and keeps it current at every handoff and override.
"""

from __future__ import annotations

import logging
import re

from bot.errors import UserError
from bot.mrkdwn import code, mention
from bot.oncall.service import DEFAULT_RING
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.errors import describe
from bot.slack.respond import Respond
from handlers.shared import split_mention

log = logging.getLogger(__name__)
USAGE = "Usage: `/oncall escalate <rotation> to next|@user|off [after 20s]` (admins)."
ADMINS_ONLY = "Only Switchboard admins can change a rotation's escalation."
AFTER = re.compile(r"^(\d{1,3})\s*s(ec(ond)?s?)?$", re.IGNORECASE)


def parse(words: list[str]) -> tuple[str, str, int]:
    """(rotation, to: "next" | "" | a Slack id, ring seconds) from the words after the verb."""
    user, words = split_mention(words)
    lowered = [w.lower() for w in words]
    seconds = DEFAULT_RING
    if "after" in lowered:
        at = lowered.index("after")
        spoken = " ".join(lowered[at + 1 :])
        found = AFTER.match(spoken)
        if not found:
            raise UserError(f"Give the ring time in seconds, e.g. `after 20s`. {USAGE}")
        seconds = int(found.group(1))
        lowered = lowered[:at]
    if len(lowered) == 3 and lowered[1] == "to" and user is None and lowered[2] in ("next", "off"):
        return lowered[0], "" if lowered[2] == "off" else "next", seconds
    if len(lowered) == 2 and lowered[1] == "to" and user is not None:
        return lowered[0], user, seconds
    raise UserError(USAGE)


async def escalate(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if not actor.is_admin:
        raise UserError(ADMINS_ONLY)
    name, to, seconds = parse(rest)
    rotation = await runtime.rotations.pick(name, actor.slack_user_id)
    rotation = await runtime.rotations.escalate(actor, rotation, to, seconds)
    try:
        await runtime.handoffs.reconcile_now(rotation.id)
    except Exception as exc:  # the scheduler tries again within a tick
        log.warning("escalation not applied at once: %s", describe(exc, log))
    if not to:
        text = (
            f"*{rotation.name}*: the hotline {code(rotation.hotline_label)} rings the on-call "
            "person alone again."
        )
    else:
        state = await runtime.rotations.now(rotation)
        backup = await runtime.handoffs.backup_of(rotation, state.current)
        if to == "next":
            whom = "the next person in the schedule" + (f" (now {mention(backup)})" if backup else "")
        elif backup == to:
            whom = mention(to)
        else:  # the named backup is on call now: the next other member backs them up meanwhile
            meanwhile = f", so {mention(backup)} meanwhile" if backup else ""
            whom = f"{mention(to)} (on call now{meanwhile})"
        text = (
            f"*{rotation.name}*: when {mention(state.current.member)} (on call) doesn't answer the "
            f"hotline {code(rotation.hotline_label)} within {seconds} s, it rings {whom} for "
            f"{seconds} s, then goes where its calls went before. This lives in the phone system "
            "itself, and follows every handoff."
        )
        if backup and await runtime.handoffs.number_of(backup) is None:
            text += f" :warning: {mention(backup)} has no on-call number yet, so nobody is rung second."
    await respond(**message(text))
