"""Reading /forward's free text: numbers typed any way, labels after them."""

from __future__ import annotations

import shlex

from bot.destinations import DestinationPolicy
from bot.errors import UserError
from bot.phone import InvalidNumber, to_e164

NEED_NUMBER = "Give a phone number, e.g. `/forward add (650) 555-0199 Desk`."


def words_of(text: str) -> list[str]:
    """Split like a shell (quotes group a label), forgiving an unbalanced quote."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def number_and_label(words: list[str], policy: DestinationPolicy) -> tuple[str, str | None]:
    """The longest leading run of words that is a phone number, and the rest as the label.

    The number then passes the destination policy (so `112 Emergency` is refused as an
    emergency number, not read as keypad letters); an extension part or post-dial digits
    (`415 555 0123 p9`) are refused, never dropped into the label.
    """
    policy.refuse_extension_part(" ".join(words))
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end])
        try:
            to_e164(candidate, policy.region)
        except InvalidNumber:
            continue
        label = " ".join(words[end:]) or None
        number = policy.number(candidate)
        if label:
            policy.refuse_post_dial(label, after_number=True)
        return number, label
    if not words:
        raise UserError(NEED_NUMBER)
    first_label = next((i for i, w in enumerate(words) if any(ch.isalpha() for ch in w)), len(words))
    policy.number(" ".join(words[:first_label]) or words[0])  # raises with the reason
    raise UserError(NEED_NUMBER)
