"""Email links re-checked against Slack profiles: on `user_change`, and at least daily.

docs/contract.md "Trust": an email link holds only while the email still matches and the person
is still a confirmed full member; otherwise it is removed at once (audited) and the person
told to ask an admin. Admin links are kept.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.services.identity import ASK_ADMIN
from bot.services.profiles import Profile

log = logging.getLogger(__name__)

RECHECK_EVERY = timedelta(hours=24)
RECHECKS_PER_TICK = 20


async def recheck(runtime: Runtime, profile: Profile) -> int:
    """Apply a fresh profile; returns how many email links it removed."""
    removed = await runtime.identity.profile_changed(profile)
    if removed:
        lines = ", ".join(f"extension `{x.extension_number}`" for x in removed)
        await runtime.notify(
            profile.slack_user_id,
            f"Your Slack profile changed, so Switchboard no longer acts on {lines} for you; {ASK_ADMIN}.",
        )
    return len(removed)


async def recheck_due(runtime: Runtime, now: datetime) -> int:
    """Re-read the profiles of email links not checked for RECHECK_EVERY (a few per tick)."""
    identity = runtime.identity
    due = await identity.due_for_check(before=now - RECHECK_EVERY, limit=RECHECKS_PER_TICK)
    removed = 0
    for slack_user_id in due:
        identity.forget_profile(slack_user_id)
        profile = await identity.profile(slack_user_id)
        if not profile.found:  # Slack didn't answer: judge again next time, remove nothing
            log.warning("could not re-read a linked profile; will try again")
            continue
        removed += await recheck(runtime, profile)
    return removed
