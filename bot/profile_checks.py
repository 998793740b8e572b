"""Email links re-checked against Slack profiles and the provider's directory: on
`user_change`, and at least daily.

docs/contract.md "Trust": an email link holds only while the email still matches (the Slack
profile's, and the extension's at the provider) and the person is still a confirmed full
member; otherwise it is removed at once (audited) and the person told to ask an admin.
Admin links and own sign-ins are kept.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.notices import Message, Verbatim, join, message
from bot.domain.records import LinkRecord
from bot.services.identity import ASK_ADMIN, Identity
from bot.services.notifier import Notifier
from bot.services.profiles import Profile

log = logging.getLogger(__name__)

RECHECK_EVERY = timedelta(hours=24)
RECHECKS_PER_TICK = 20


async def recheck(identity: Identity, notifier: Notifier, profile: Profile) -> int:
    """Apply a fresh profile, then the directory; returns how many email links were removed."""
    removed = await identity.profile_changed(profile)
    if removed:
        await notifier.post(
            profile.slack_user_id,
            message(
                "Your Slack profile changed, so Switchboard no longer acts on ",
                _extensions(removed),
                " for you; ",
                ASK_ADMIN,
                ".",
            ),
        )
    reassigned = await identity.directory_changed(profile)
    if reassigned:
        await notifier.post(
            profile.slack_user_id,
            message(
                "The phone system no longer gives ",
                _extensions(reassigned),
                " your email, so Switchboard no longer acts on it for you; ",
                ASK_ADMIN,
                ".",
            ),
        )
    return len(removed) + len(reassigned)


def _extensions(links: list[LinkRecord]) -> Message:
    """`extension 101, extension 102`, each number shown as typed."""
    return join(", ", (message("extension ", Verbatim(x.extension_number)) for x in links))


async def recheck_due(identity: Identity, notifier: Notifier, now: datetime) -> int:
    """Re-read the profiles of email links not checked for RECHECK_EVERY (a few per tick)."""
    due = await identity.due_for_check(before=now - RECHECK_EVERY, limit=RECHECKS_PER_TICK)
    removed = 0
    for slack_user_id in due:
        identity.forget_profile(slack_user_id)
        profile = await identity.profile(slack_user_id)
        if not profile.found:  # Slack didn't answer: judge again next time, remove nothing
            log.warning("could not re-read a linked profile; will try again")
            continue
        removed += await recheck(identity, notifier, profile)
    return removed
