"""The destination policy: every refusal names its reason; nothing refused slips through."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.destinations import REFUSED_TYPES, DestinationPolicy, Refused
from bot.providers.registry import SPECS
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.voipnow.declaration import VOIPNOW

US = DestinationPolicy(region="US", allowed_countries=[])
# With every provider's extensions (a VoipNow `0003*024` is checked on its short part).
US_EXTENSIONS = DestinationPolicy(region="US", allowed_countries=[], extensions=SPECS.values())
US_FR = DestinationPolicy(region="US", allowed_countries=["US", "FR"])
EVERYWHERE = DestinationPolicy(region="US", allowed_countries=["*"])


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("+1 900 555 0100", "premium-rate"),
        ("1-900-200-1234", "premium-rate"),
        ("112", "emergency or short"),
        ("911", "emergency or short"),
        ("999", "emergency or short"),
        ("1-800-FLOWERS", "letters"),
        ("112 Emergency", "letters"),
        ("415 555 0111 ext 23", "extension part"),
        ("415 555 0111 x23", "extension part"),
        ("415-555-0111;ext=23", "extension part"),
        ("(415) 555-0111 ext. 23", "extension part"),
        ("+33 6 11 22 33 44", "France"),
        ("+44 20 7946 0958", "United Kingdom"),
        ("garage", "doesn't look like a phone number"),
        ("411", "emergency or short"),
        ("555 0100", "isn't a valid phone number"),
    ],
)
def test_each_refusal_names_its_reason(typed: str, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        US.number(typed)
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("+44 909 879 0000", "premium-rate"),
        ("+7 809 505 1234", "premium-rate"),
        ("+44 70 1234 5678", "personal"),
    ],
)
def test_high_risk_numbers_are_refused_even_where_every_country_is_allowed(
    typed: str, reason: str
) -> None:
    with pytest.raises(Refused, match=reason):
        EVERYWHERE.number(typed)


def test_ordinary_numbers_pass_as_e164() -> None:
    assert US.number("(650) 555-0199") == "+16505550199"
    assert US.number("650.555.0177") == "+16505550177"
    assert US_FR.number("+33 6 11 22 33 44") == "+33611223344"
    assert EVERYWHERE.number("+44 20 7946 0958") == "+442079460958"


def test_values_from_buttons_and_the_store_pass_the_same_rules() -> None:
    assert US.e164("+16505550199") == "+16505550199"
    for forged in ("+19005550100", "911", "+33611223344", "1800FLOWERS", "+16505550199;ext=2", ""):
        with pytest.raises(Refused):
            US.e164(forged)
    assert not US.allows("+19005550100")


def _refusable(number: phonenumbers.PhoneNumber) -> bool:
    return (
        phonenumbers.number_type(number) in REFUSED_TYPES
        or phonenumbers.region_code_for_number(number) not in ("US", "FR")
        or not phonenumbers.is_valid_number(number)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["US", "GB", "FR", "RU", "DE", "CA", "JM", "IT"]),
    st.sampled_from([*list(REFUSED_TYPES), phonenumbers.PhoneNumberType.MOBILE]),
    st.text(alphabet=" -.()", max_size=3),
)
def test_no_premium_or_foreign_number_passes(region: str, kind: int, noise: str) -> None:
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        return
    typed = noise + phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if _refusable(example):
        with pytest.raises(Refused):
            US_FR.number(typed)
    else:
        assert US_FR.number(typed) == phonenumbers.format_number(
            example, phonenumbers.PhoneNumberFormat.E164
        )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_random_text_is_either_a_refusal_or_an_allowed_number(text: str) -> None:
    try:
        number = US_FR.number(text)
    except Refused as refused:
        message = str(refused)
        assert message, "a refusal always says why"
        return
    parsed = phonenumbers.parse(number, None)
    assert not _refusable(parsed)
    assert not any(ch.isalpha() for ch in text)


@pytest.mark.parametrize(
    "typed",
    [
        "415 555 0123,,9",
        "415 555 0123;9",
        "415 555 0123 ,9",
        "(415) 555-0123p9",
        "415 555 0123 w 123#",
        "415 555 0123~9",
        "+1 415 555 0123,",
        "4155550123,,,1234",
    ],
)
def test_post_dial_digits_are_refused_never_dropped(typed: str) -> None:
    for check in (US.number, US.e164):
        with pytest.raises(Refused, match="post-dial"):
            check(typed)


@pytest.mark.parametrize(
    "typed",
    ["999", "000", "110", "119", "411", "611", "211", "811", "911", "112", "3617", "1900", "0044"],
)
def test_emergency_and_short_codes_of_every_country_are_refused_as_extensions(typed: str) -> None:
    for policy in (US, US_EXTENSIONS):
        with pytest.raises(Refused, match="emergency or short"):
            policy.refuse_as_extension(typed)
    with pytest.raises(Refused, match="emergency or short"):
        US_EXTENSIONS.extension(typed)


@pytest.mark.parametrize(
    "typed", ["100", "101", "102", "103", "104", "200", "0003*024", "0003*100", "2105"]
)
def test_ordinary_extensions_pass_the_policy(typed: str) -> None:
    US_EXTENSIONS.refuse_as_extension(typed)
    assert US_EXTENSIONS.extension(typed) == typed


@pytest.mark.parametrize("typed", ["7", "123456", "0003*24", "03*210", "12a", "+1999"])
def test_what_no_provider_writes_as_an_extension_is_none(typed: str) -> None:
    assert US_EXTENSIONS.extension(typed) is None
    assert US.extension("103") is None  # no provider in use: no extensions at all


def test_an_extension_is_what_a_provider_in_use_writes_as_one() -> None:
    """Each provider says what its extensions look like and which digits of one are dialled."""
    ringcentral = DestinationPolicy(region="US", allowed_countries=[], extensions=[SPECS[RINGCENTRAL]])
    voipnow = DestinationPolicy(region="US", allowed_countries=[], extensions=[SPECS[VOIPNOW]])
    assert ringcentral.extension("10423") == "10423"
    assert ringcentral.extension("0003*210") is None  # a VoipNow extension, not in use here
    assert voipnow.extension("0003*210") == "0003*210"
    assert voipnow.extension("10423") is None
    with pytest.raises(Refused, match="emergency or short"):
        voipnow.extension("0003*911")  # checked on the digits VoipNow dials
