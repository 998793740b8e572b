"""Can the bot post in a channel? Asked when a rotation is saved (docs/contract.md "Slack app").

With `chat:write.public` the bot posts in any public channel without joining it; a private
channel needs the app as a member. `conversations.info` tells which, and Slack answers
`channel_not_found` for a private channel the app isn't in.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.errors import INVITE, error_code

log = logging.getLogger(__name__)


async def cannot_post_in(slack: AsyncWebClient, channel: str) -> str | None:
    """None when the bot can post there; else one sentence saying what to do."""
    if not channel or channel.startswith(("U", "W", "D")):
        return None  # a DM: always possible
    try:
        answer = await slack.conversations_info(channel=channel)
    except Exception as exc:
        code = error_code(exc)
        if code == "channel_not_found":
            return f"Switchboard can't post in that channel: it's private and the app isn't in it; {INVITE} there, then save again."
        log.warning("conversations.info failed (%s); saving without the check", code)
        return None
    info = answer.get("channel") or {}
    if info.get("is_private") and not info.get("is_member"):
        return f"Switchboard can't post in that private channel; {INVITE} there, then save again."
    if info.get("is_archived"):
        return "That channel is archived; pick another for the handoff notices."
    return None
