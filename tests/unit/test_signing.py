"""Slack request signatures, with Slack's published test vector and an injected clock."""

from __future__ import annotations

import pytest

from bot.web import signing

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TIMESTAMP = "1531420618"
BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def headers(timestamp: str = TIMESTAMP, signature: str = EXPECTED) -> dict[str, str]:
    return {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature}


def at(seconds: float) -> float:
    return float(TIMESTAMP) + seconds


def test_slack_test_vector_signs_as_published() -> None:
    assert signing.sign(SECRET, TIMESTAMP, BODY) == EXPECTED


def test_valid_within_five_minutes_of_the_clock() -> None:
    assert signing.is_valid(SECRET, headers(), BODY, now=lambda: at(299))
    assert signing.is_valid(SECRET, headers(), BODY, now=lambda: at(-299))


@pytest.mark.parametrize("skew", [301, -301, 86400])
def test_stale_or_future_timestamps_are_refused(skew: int) -> None:
    assert not signing.is_valid(SECRET, headers(), BODY, now=lambda: at(skew))


@pytest.mark.parametrize(
    "bad",
    [
        headers(signature=EXPECTED[:-1] + "0"),
        headers(signature=""),
        headers(timestamp=""),
        headers(timestamp="abc"),
        headers(timestamp="1531420618.5"),
        headers(timestamp="".join(chr(0xFF10 + int(d)) for d in TIMESTAMP)),  # full-width digits
        {"x-slack-signature": EXPECTED},
        {"x-slack-request-timestamp": TIMESTAMP},
        {},
    ],
)
def test_malformed_or_missing_headers_are_refused(bad: dict[str, str]) -> None:
    assert not signing.is_valid(SECRET, bad, BODY, now=lambda: at(1))


def test_a_tampered_body_is_refused() -> None:
    assert not signing.is_valid(SECRET, headers(), BODY + b"&x=1", now=lambda: at(1))
    assert not signing.is_valid("another-secret", headers(), BODY, now=lambda: at(1))
