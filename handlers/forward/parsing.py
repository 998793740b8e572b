"""Reading /forward's free text: numbers typed any way, labels after them."""

from __future__ import annotations

import shlex

from bot.errors import UserError
from bot.phone import InvalidNumber, to_e164


def words_of(text: str) -> list[str]:
    """Split like a shell (quotes group a label), forgiving an unbalanced quote."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def number_and_label(words: list[str], region: str) -> tuple[str, str | None]:
    """The longest leading run of words that is a phone number, and the rest as the label."""
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        try:
            to_e164(candidate, region)
        except InvalidNumber:
            continue
        label = " ".join(words[end:]) or None
        return candidate, label
    if not words:
        raise UserError("Give a phone number, e.g. `/forward add (650) 555-0199 Desk`.")
    try:
        to_e164(words[0], region)
    except InvalidNumber as exc:
        raise UserError(exc.message) from None
    raise UserError("Give a phone number, e.g. `/forward add (650) 555-0199 Desk`.")
