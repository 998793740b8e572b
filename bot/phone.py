"""Phone numbers: parsed from whatever people type, stored as E.164, shown nationally."""

from __future__ import annotations

import functools
from enum import Enum

import phonenumbers

MAX_TYPED = 40


class Unreadable(Enum):
    """Why typed text is not a phone number (`bot.errors.number_refused` words each)."""

    MISSING = "missing"  # nothing typed, or more than MAX_TYPED characters
    LETTERS = "letters"  # libphonenumber would read letters as keypad digits
    NOT_A_NUMBER = "not a number"
    INVALID = "invalid"


class InvalidNumber(ValueError):
    """What was typed (`typed`: empty for MISSING) and why it is not a number (`reason`);
    the sentence a person reads is built from them where it is said (`bot.errors`)."""

    def __init__(self, reason: Unreadable, typed: str = "") -> None:
        super().__init__(f"{reason.value}: {typed!r}" if typed else reason.value)
        self.reason = reason
        self.typed = typed


def to_e164(raw: str, region: str) -> str:
    """Normalize a typed number; raise InvalidNumber saying what was typed and why not."""
    text = raw.strip()
    if not text or len(text) > MAX_TYPED:
        raise InvalidNumber(Unreadable.MISSING)
    if any(ch.isalpha() for ch in text):  # libphonenumber would read letters as keypad digits
        raise InvalidNumber(Unreadable.LETTERS, text)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidNumber(Unreadable.NOT_A_NUMBER, text) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(Unreadable.INVALID, text)
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
