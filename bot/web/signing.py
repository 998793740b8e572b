"""Slack request signatures (v0), checked before anything else sees the request.

The signature itself is slack_sdk's `SignatureVerifier`; in front of it, the checks it
doesn't make (docs/contract.md "Limits at the front"): both headers present, and a timestamp that
is an integer of at most 12 digits (a 5,000-digit one made `int()` raise inside it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from slack_sdk.signature import Clock, SignatureVerifier

from bot.domain.clock import epoch

MAX_AGE_SECONDS = 60 * 5
MAX_TIMESTAMP_DIGITS = 12
MAX_SIGNATURE_LENGTH = 100  # "v0=" and 64 hex digits; anything much longer isn't Slack's


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return signature


def has_headers(headers: Mapping[str, str]) -> bool:
    """Both signature headers, well formed: checked before the body is read."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    return (
        0 < len(timestamp) <= MAX_TIMESTAMP_DIGITS
        and timestamp.isascii()
        and timestamp.isdigit()
        and 0 < len(signature) <= MAX_SIGNATURE_LENGTH
    )


def is_valid(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: Callable[[], float] = epoch,
) -> bool:
    """False for a missing or wrong signature, and for a missing, non-integer or stale timestamp."""
    if not has_headers(headers):
        return False
    verifier = SignatureVerifier(secret, clock=_Clock(now))
    return verifier.is_valid(body, headers["x-slack-request-timestamp"], headers["x-slack-signature"])


def signed_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send with `body` (used by the shell and tests)."""
    stamp = str(int(epoch()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(secret, stamp, body),
        "Content-Type": "application/x-www-form-urlencoded",
    }
