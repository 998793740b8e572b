"""Domain errors, and the one place any error becomes the sentence a person reads.

The sentence is a typed message (`bot.domain.notices`): an error about a person names them
as a `Person`, and the sender renders it (`bot.slack.errors.describe` for Slack).
"""

from __future__ import annotations

import logging

from bot.context import current_request_id
from bot.domain.notices import Message, Verbatim, message, plain
from bot.phone import InvalidNumber, Unreadable

# How a phone number may be typed, in the sentences refusing one.
NUMBER_EXAMPLE = message("e.g. ", Verbatim("(650) 555-0199"), " or ", Verbatim("+33 1 42 68 53 00"))
_UNREADABLE = {
    Unreadable.LETTERS: " has letters in it; type the number with digits only.",
    Unreadable.NOT_A_NUMBER: " doesn't look like a phone number.",
    Unreadable.INVALID: " isn't a valid phone number.",
}


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


class ExternalError(Exception):
    """A system outside Switchboard failed or refused (a provider: `bot.providers.errors`);
    logged as a warning with its `log_fields`, told as its `sentence`."""

    def log_fields(self) -> dict[str, object]:
        raise NotImplementedError

    def sentence(self) -> str | Message:
        raise NotImplementedError


def number_refused(exc: InvalidNumber) -> Message:
    """The sentence for typed text that is not a phone number (`bot.phone.to_e164`), what
    was typed shown as typed."""
    if exc.reason is Unreadable.MISSING:
        return message("Give a phone number, ", NUMBER_EXAMPLE, ".")
    return message(Verbatim(exc.typed), _UNREADABLE[exc.reason])


def outcome_of(exc: BaseException) -> str:
    """The metrics outcome of a failure (bot.metrics): what kind, never what it said."""
    if isinstance(exc, UserError):
        return "user_error"
    if isinstance(exc, ExternalError):
        return "provider_error"
    return "error"


def said(exc: BaseException, log: logging.Logger) -> Message:
    """Log the error as it deserves and return the sentence to show (or `plain` to log)."""
    if isinstance(exc, UserError):
        return exc.said
    if isinstance(exc, ExternalError):
        log.warning("provider error %s", exc.log_fields())
        return message(exc.sentence())
    ref = current_request_id()
    log.error("unexpected error (ref %s)", ref, exc_info=exc)
    return message(f"Something went wrong (ref {ref}).")
