"""Slack's own error codes, mapped once to what a person or the log is told.

The Web API client retries what is worth retrying itself (slack_sdk's retry handlers:
HTTP 429 after `Retry-After`, connection errors); what still fails lands here.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.errors import said
from bot.slack.rendering import render

INVITE = "invite the app with `/invite @Switchboard`"
# error code → why a message couldn't be delivered, as a clause for a sentence
UNDELIVERABLE = {
    "not_in_channel": f"the app isn't in that channel; {INVITE}",
    "channel_not_found": f"the channel is private (or gone) and the app isn't in it; {INVITE}",
    "is_archived": "the channel is archived",
    "restricted_action": "a workspace setting keeps the app from posting there",
    "user_not_found": "that Slack user no longer exists",
    "account_inactive": "that Slack account is deactivated",
    "cannot_dm_bot": "that user is a bot",
    "ratelimited": "Slack is rate-limiting the app; it tried again and gave up",
    "msg_too_long": "the message was too long",
}
# errors about a person, not about a place admins can fix
ABOUT_A_PERSON = frozenset({"user_not_found", "account_inactive", "cannot_dm_bot"})


def error_code(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or "unknown_error")
    return type(exc).__name__


def why_undeliverable(code: str) -> str:
    return UNDELIVERABLE.get(code, f"Slack answered `{code}`")


def describe(exc: BaseException, log: logging.Logger) -> str:
    """Log the error as it deserves (`bot.errors.said`) and return the sentence as mrkdwn."""
    return render(said(exc, log))
