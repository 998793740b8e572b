"""Domain errors, and the one place any error becomes the sentence a person reads.

The sentence is a typed message (`bot.domain.notices`): an error about a person names them
as a `Person`, and the sender renders it (`bot.slack.errors.describe` for Slack).
"""

from __future__ import annotations

import logging

from bot.context import current_request_id
from bot.domain.notices import Message, message, plain
from bot.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    RateLimited,
    Rejected,
    Unavailable,
)


class UserError(Exception):
    """Something the person can fix; `said` is one sentence for them."""

    def __init__(self, sentence: str | Message) -> None:
        super().__init__(plain(sentence))
        self.said = message(sentence) if isinstance(sentence, str) else sentence


class NotLinked(UserError):
    pass


class Forbidden(UserError):
    pass


class Unsupported(UserError):
    """The line's provider can't do what was asked."""


def provider_sentence(exc: ProviderError) -> str:
    name = exc.provider.display
    if isinstance(exc, Rejected):
        return exc.user_message
    if isinstance(exc, RateLimited) and exc.own_share:
        return (
            f"You've used your share of {name} requests for this minute; "
            f"please try again in {max(1, round(exc.retry_after))} seconds."
        )
    if isinstance(exc, RateLimited):
        return f"{name} is busy; please try again in {max(1, round(exc.retry_after))} seconds."
    if isinstance(exc, NotFound):
        return f"{name} says that no longer exists; refresh and try again."
    if isinstance(exc, AuthError):
        return f"Switchboard can't sign in to {name} right now; an admin has been told."
    if isinstance(exc, Unavailable) and exc.sent:
        return (
            f"{name} didn't answer in time and I couldn't confirm the change; check before trying again."
        )
    return f"{name} didn't answer; please try again in a moment."


def outcome_of(exc: BaseException) -> str:
    """The metrics outcome of a failure (bot.metrics): what kind, never what it said."""
    if isinstance(exc, UserError):
        return "user_error"
    if isinstance(exc, ProviderError):
        return "provider_error"
    return "error"


def said(exc: BaseException, log: logging.Logger) -> Message:
    """Log the error as it deserves and return the sentence to show (or `plain` to log)."""
    if isinstance(exc, UserError):
        return exc.said
    if isinstance(exc, ProviderError):
        log.warning("provider error %s", exc.log_fields())
        return message(provider_sentence(exc))
    ref = current_request_id()
    log.error("unexpected error (ref %s)", ref, exc_info=exc)
    return message(f"Something went wrong (ref {ref}).")
