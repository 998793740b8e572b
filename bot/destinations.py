"""The one destination policy: where Switchboard may send calls (docs/contract.md "Destinations").

Every number calls may go to (a forwarding number, a quick-toggle target, an on-call
number, a transfer destination) passes `DestinationPolicy` before any provider call:
typed text through `number()`, values that come back from a modal, a button, the store or
the provider through `e164()`. A refusal is a `Refused` with one sentence naming the reason.
Company extensions (`/transfer 103`) are not phone numbers: `extension()` takes what has the
shape of an extension of a provider in use (each provider's `LineSpec.extension_digits`) and
refuses only the emergency numbers and short codes it must never be; the transfer service then
asks the provider's directory whether the extension exists.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo

from bot.domain.notices import Verbatim, message
from bot.errors import NUMBER_EXAMPLE, UserError
from bot.providers.specs import LineSpec

ALL_COUNTRIES = "*"
MAX_TYPED = 40
# An extension part after a number: `x23`, `ext 23`, `ext. 23`, `extension 23`, `;ext=23`, `#23`.
EXTENSION_PART = re.compile(r"(?i)\d[\s).-]*(?:;\s*ext\s*=|ext(?:ension)?\.?|x|#)\s*\d")
LETTER = re.compile(r"[^\W\d_]")
# Post-dial digits: a pause (`,` `;` `~`, or `p`/`w` as phones and dialers write them) or a
# tone (`*`) after the number. Dialled without them the call reaches the wrong place (a
# switchboard instead of a person); they are refused, never dropped.
# (RFC 3966 section 5.1.4 calls them the "post-dial" part: https://www.rfc-editor.org/rfc/rfc3966)
POST_DIAL = re.compile(r"(?i)\d[\s).-]*(?:[,;~*]|[pw](?![^\W\d_]))")
POST_DIAL_START = re.compile(r"(?i)^\s*(?:[,;~*]|[pw](?![^\W\d_]))")
# libphonenumber's types of numbers that cost the caller (or the company) extra, or that
# follow a person anywhere (personal numbers and UANs): the usual toll-fraud destinations.
REFUSED_TYPES = {
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal (follow-me) number",
    PhoneNumberType.UAN: "a universal access (UAN) number",
}
SHORT_DIGITS = 6  # longest emergency or short code looked up (without a country code)

# What a `/transfer` "extension" may never be, whatever the country (docs/contract.md "Destinations
# and text from outside"): dialled out as typed, these reach emergency services, a paid
# service or the international network. A real extension must also be in the provider's
# directory; this list holds even when a provider would dial the digits out.
# libphonenumber's per-country tables (used for the deployment's own countries) make nearly
# every 3-digit number an emergency or short number somewhere, so the everywhere-list is
# curated, each entry checked against libphonenumber's ShortNumberMetadata.xml
# (https://github.com/google/libphonenumber/blob/master/resources/ShortNumberMetadata.xml)
# and https://en.wikipedia.org/wiki/List_of_emergency_telephone_numbers:
# - emergency: 112 (GSM, EU), 911 (NANP), 999 (UK and 20+ others), 000 (AU), 108 (IN),
#   110 (DE, JP, CN), 111 (NZ), 113/115 (IT), 117/118 (CH), 119 (JP, KR), 120 (CN), 122
#   (AT), 15/17/18 (FR), 190/192/193 (BR), 995 (SG), 997/998 (PL), 10111 and 10177 (ZA).
#   100-104 (police, fire, ambulance in IN, GR, IL, RU and others) are left to the
#   directory check and the deployment's own countries: they are the front desk and first
#   extensions of most phone systems (RingCentral numbers an account's extensions from 101).
# - NANP N11 service codes: 211 community, 311 city, 411 paid directory assistance, 511
#   traffic, 611 repair, 711 relay, 811 utilities (https://en.wikipedia.org/wiki/N11_code).
# - paid-service and way-out prefixes: 1-900 and 1-976 pay-per-call
#   (https://en.wikipedia.org/wiki/Premium-rate_telephone_number), the UK's 09 premium rate
#   and 118 directory enquiries (https://en.wikipedia.org/wiki/Telephone_numbers_in_the_United_Kingdom),
#   France's 36 xx short services such as 3617 (https://en.wikipedia.org/wiki/Telephone_numbers_in_France),
#   and the international access prefixes 00 and 011 (what follows is a number abroad).
EMERGENCY_EVERYWHERE = frozenset(
    {
        *("112", "911", "999", "000", "108", "110", "111", "113", "115", "117", "118"),
        *("119", "120", "122", "15", "17", "18", "190", "192", "193", "995", "997"),
        *("998", "10111", "10177"),
    }
)
SERVICE_CODES = frozenset({"211", "311", "411", "511", "611", "711", "811"})
PAID_PREFIXES = ("1900", "1976", "09", "118", "36", "00", "011")


class Refused(UserError):
    """A destination the policy refuses; `message` names the reason in one sentence."""


class DestinationPolicy:
    """Which numbers calls may be sent to, for one deployment."""

    def __init__(
        self, *, region: str, allowed_countries: Iterable[str], extensions: Iterable[LineSpec] = ()
    ) -> None:
        """`extensions`: how the providers in use type their lines (what has the shape of one
        of their extensions, `LineSpec.extension_digits`)."""
        self.region = region.upper()
        allowed = {c.strip().upper() for c in allowed_countries if c.strip()}
        self.every_country = ALL_COUNTRIES in allowed
        self.allowed = frozenset(allowed - {ALL_COUNTRIES}) or frozenset({self.region})
        self._extensions = tuple(extensions)

    def number(self, raw: str) -> str:
        """A number as a person typed it, checked, as E.164."""
        text = raw.strip()
        if not text or len(text) > MAX_TYPED:
            raise Refused(message("Give a phone number, ", NUMBER_EXAMPLE, "."))
        shown = _typed(text)
        if not re.search(r"\d", text):
            raise Refused(message(shown, " doesn't look like a phone number."))
        self.refuse_extension_part(text)
        self.refuse_post_dial(text)
        if LETTER.search(text):
            raise Refused(message(shown, " has letters in it; type the number with digits only."))
        return self._parsed(text, shown)

    @staticmethod
    def refuse_extension_part(text: str) -> None:
        """A number with `x23`/`ext. 23`/`;ext=23` is refused, never saved without it."""
        if has_extension_part(text):
            raise Refused(
                message(
                    _typed(text),
                    " has an extension part; calls can only go to the number itself, "
                    "so give it without the extension.",
                )
            )

    @staticmethod
    def refuse_post_dial(text: str, *, after_number: bool = False) -> None:
        """Pauses or tones after the number (`415 555 0123,,9`) are refused, never dropped.

        `after_number`: `text` is what followed a number (a label), checked from its start.
        """
        found = POST_DIAL_START.search(text) if after_number else POST_DIAL.search(text)
        if found:
            raise Refused(
                message(
                    _typed(text),
                    " has post-dial digits (pauses or tones after the number); calls "
                    "can only go to the number itself, so give it without them.",
                )
            )

    def e164(self, value: str) -> str:
        """A number that came back from a modal, a button, the store or the provider."""
        text = value.strip()
        if text and POST_DIAL.search(text):
            self.refuse_post_dial(text)
        if not text or len(text) > MAX_TYPED or LETTER.search(text) or EXTENSION_PART.search(text):
            raise Refused("That destination isn't a phone number Switchboard can send calls to.")
        return self._parsed(text, _typed(text))

    def extension(self, typed: str) -> str | None:
        """`typed` when it has the shape of an extension of a provider in use (`/transfer 103`),
        after `refuse_as_extension`; None when no provider in use writes an extension so."""
        dialled = self._digits_of(typed)
        if not dialled:
            return None
        self._refuse_dialled(typed, dialled)
        return typed

    def refuse_as_extension(self, typed: str) -> None:
        """An extension-shaped destination (`/transfer 999`) that is an emergency or short
        number here, or one of the codes refused in every country (`EMERGENCY_EVERYWHERE`,
        `SERVICE_CODES`, `PAID_PREFIXES`). Checked on the digits each provider in use dials of
        it (VoipNow's `0003*210` on `210`), on all of it when none writes an extension so."""
        self._refuse_dialled(typed, self._digits_of(typed) or [typed])

    def _refuse_dialled(self, typed: str, dialled: list[str]) -> None:
        """Refused when any of the digits `typed` would dial is an emergency or short number."""
        regions = {self.region, *self.allowed}
        for digits in dialled:
            if (
                digits in EMERGENCY_EVERYWHERE
                or digits in SERVICE_CODES
                or digits.startswith(PAID_PREFIXES)
                or any(shortnumberinfo.is_emergency_number(digits, r) for r in regions)
            ):
                raise Refused(
                    message(
                        _typed(typed),
                        " is an emergency or short number; Switchboard never sends calls to those.",
                    )
                )

    def _digits_of(self, typed: str) -> list[str]:
        """The digits each provider in use would dial of `typed` as one of its extensions."""
        found = (spec.extension_digits(typed) for spec in self._extensions)
        return [digits for digits in found if digits is not None]

    def allows(self, value: str) -> bool:
        try:
            self.e164(value)
        except Refused:
            return False
        return True

    def _parsed(self, text: str, shown: Verbatim) -> str:
        digits = re.sub(r"\D", "", text)
        if self._short(digits, typed_plus=text.startswith("+")):
            raise Refused(
                message(
                    shown, " is an emergency or short number; Switchboard never sends calls to those."
                )
            )
        try:
            parsed = phonenumbers.parse(text, self.region)
        except phonenumbers.NumberParseException:
            raise Refused(
                message(shown, " doesn't look like a phone number (", NUMBER_EXAMPLE, ").")
            ) from None
        return self._checked(parsed, shown)

    def _checked(self, parsed: phonenumbers.PhoneNumber, shown: Verbatim) -> str:
        if not phonenumbers.is_valid_number(parsed):
            raise Refused(message(shown, " isn't a valid phone number (", NUMBER_EXAMPLE, ")."))
        kind = REFUSED_TYPES.get(phonenumbers.number_type(parsed))
        if kind is not None:
            raise Refused(message(shown, f" is {kind}; Switchboard doesn't send calls to those."))
        country = phonenumbers.region_code_for_number(parsed)
        if not self.every_country and country not in self.allowed:
            # geocoder loads every country's place names (a third of start-up): only when refused
            from phonenumbers import geocoder

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


def _typed(text: str) -> Verbatim:
    """Typed text echoed in a refusal: shown as typed (the sender keeps it from being markup)."""
    return Verbatim(text[:MAX_TYPED])
