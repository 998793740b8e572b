"""The one destination policy: where Switchboard may send calls (docs/contract.md "Destinations").

Every number calls may go to (a forwarding number, a quick-toggle target, an on-call
number, a transfer destination) passes `DestinationPolicy` before any provider call:
typed text through `number()`, values that come back from a modal, a button, the store or
the provider through `e164()`. A refusal is a `Refused` with one sentence naming the reason.
Company extensions (`/transfer 103`) are not phone numbers and never come here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import phonenumbers
from phonenumbers import PhoneNumberType, geocoder, shortnumberinfo

from bot.errors import UserError

ALL_COUNTRIES = "*"
MAX_TYPED = 40
# An extension part after a number: `x23`, `ext 23`, `ext. 23`, `extension 23`, `;ext=23`, `#23`.
EXTENSION_PART = re.compile(r"(?i)\d[\s).-]*(?:;\s*ext\s*=|ext(?:ension)?\.?|x|#)\s*\d")
LETTER = re.compile(r"[^\W\d_]")
# libphonenumber's types of numbers that cost the caller (or the company) extra, or that
# follow a person anywhere (personal numbers and UANs): the usual toll-fraud destinations.
REFUSED_TYPES = {
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal (follow-me) number",
    PhoneNumberType.UAN: "a universal access (UAN) number",
}
SHORT_DIGITS = 6  # longest emergency or short code looked up (without a country code)
EXAMPLE = "e.g. `(650) 555-0199` or `+33 1 42 68 53 00`"


class Refused(UserError):
    """A destination the policy refuses; `message` names the reason in one sentence."""


class DestinationPolicy:
    """Which numbers calls may be sent to, for one deployment."""

    def __init__(self, *, region: str, allowed_countries: Iterable[str]) -> None:
        self.region = region.upper()
        allowed = {c.strip().upper() for c in allowed_countries if c.strip()}
        self.every_country = ALL_COUNTRIES in allowed
        self.allowed = frozenset(allowed - {ALL_COUNTRIES}) or frozenset({self.region})

    def number(self, raw: str) -> str:
        """A number as a person typed it, checked, as E.164."""
        text = raw.strip()
        if not text or len(text) > MAX_TYPED:
            raise Refused(f"Give a phone number, {EXAMPLE}.")
        shown = _safe(text)
        if not re.search(r"\d", text):
            raise Refused(f"`{shown}` doesn't look like a phone number.")
        self.refuse_extension_part(text)
        if LETTER.search(text):
            raise Refused(f"`{shown}` has letters in it; type the number with digits only.")
        return self._parsed(text, shown)

    @staticmethod
    def refuse_extension_part(text: str) -> None:
        """A number with `x23`/`ext. 23`/`;ext=23` is refused, never saved without it."""
        if has_extension_part(text):
            raise Refused(
                f"`{_safe(text)}` has an extension part; calls can only go to the number itself, "
                "so give it without the extension."
            )

    def e164(self, value: str) -> str:
        """A number that came back from a modal, a button, the store or the provider."""
        text = value.strip()
        if not text or len(text) > MAX_TYPED or LETTER.search(text) or EXTENSION_PART.search(text):
            raise Refused("That destination isn't a phone number Switchboard can send calls to.")
        return self._parsed(text, _safe(text))

    def refuse_emergency(self, digits: str) -> None:
        """An extension-shaped destination (`/transfer 911`) that dials emergency services here."""
        regions = {self.region, *self.allowed}
        if any(shortnumberinfo.is_emergency_number(digits, r) for r in regions):
            raise Refused(
                f"`{_safe(digits)}` is an emergency or short number; Switchboard never sends calls to those."
            )

    def allows(self, value: str) -> bool:
        try:
            self.e164(value)
        except Refused:
            return False
        return True

    def _parsed(self, text: str, shown: str) -> str:
        digits = re.sub(r"\D", "", text)
        if self._short(digits, typed_plus=text.startswith("+")):
            raise Refused(
                f"`{shown}` is an emergency or short number; Switchboard never sends calls to those."
            )
        try:
            parsed = phonenumbers.parse(text, self.region)
        except phonenumbers.NumberParseException:
            raise Refused(f"`{shown}` doesn't look like a phone number ({EXAMPLE}).") from None
        return self._checked(parsed, shown)

    def _checked(self, parsed: phonenumbers.PhoneNumber, shown: str) -> str:
        if not phonenumbers.is_valid_number(parsed):
            raise Refused(f"`{shown}` isn't a valid phone number ({EXAMPLE}).")
        kind = REFUSED_TYPES.get(phonenumbers.number_type(parsed))
        if kind is not None:
            raise Refused(f"`{shown}` is {kind}; Switchboard doesn't send calls to those.")
        country = phonenumbers.region_code_for_number(parsed)
        if not self.every_country and country not in self.allowed:
            name = geocoder.country_name_for_number(parsed, "en") or country or "that country"
            raise Refused(
                f"Calls can't be sent to numbers in {name} from this workspace "
                "(an admin can allow it with SWITCHBOARD_ALLOWED_COUNTRIES)."
            )
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    def _short(self, digits: str, *, typed_plus: bool) -> bool:
        """An emergency number anywhere (999 is one in the UK), or a short code here (411)."""
        if typed_plus or not digits or len(digits) > SHORT_DIGITS:
            return False
        if _emergency_somewhere(digits):
            return True
        try:
            parsed = phonenumbers.parse(digits, self.region)
        except phonenumbers.NumberParseException:
            return False
        return bool(shortnumberinfo.is_valid_short_number_for_region(parsed, self.region))


@functools.lru_cache(maxsize=1024)
def _emergency_somewhere(digits: str) -> bool:
    return any(
        shortnumberinfo.is_emergency_number(digits, region)
        for region in phonenumbers.SUPPORTED_SHORT_REGIONS
    )


def has_extension_part(text: str) -> bool:
    return EXTENSION_PART.search(text) is not None


def _safe(text: str) -> str:
    return text.replace("`", "'")[:MAX_TYPED]
