"""Phone numbers: parsed from whatever people type, stored as E.164, shown nationally."""

from __future__ import annotations

import functools

import phonenumbers

from bot.mrkdwn import escape


class InvalidNumber(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def to_e164(raw: str, region: str) -> str:
    """Normalize a typed number; raise InvalidNumber with a sentence for the user."""
    text = raw.strip()
    if not text or len(text) > 40:
        raise InvalidNumber("Give a phone number, e.g. `(650) 555-0199` or `+33 1 42 68 53 00`.")
    if any(ch.isalpha() for ch in text):  # libphonenumber would read letters as keypad digits
        raise InvalidNumber(f"`{_safe(text)}` has letters in it; type the number with digits only.")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidNumber(f"`{_safe(text)}` doesn't look like a phone number.") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(f"`{_safe(text)}` isn't a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=4096)
def display(e164: str, region: str) -> str:
    """National format for numbers of the default region, international otherwise.

    Cached: phonenumbers re-compiles its patterns on every call, which measured as a
    large share of rendering a list in `make bench`.
    """
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def shown(value: str, region: str) -> str:
    """A number as people read it everywhere (replies, cards, notices, audit rows): `display`
    for an E.164 number; an extension, a label or anything else as it is."""
    return display(value, region) if value[:1] == "+" and value[1:].isdigit() else value


def _safe(text: str) -> str:
    """Typed text echoed in a refusal (inside a code span): shown as text, never markup."""
    return escape(text.replace("`", "'")[:40])
