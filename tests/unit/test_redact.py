"""bot.redact: every registered secret masked, and registering stays cheap with many people's
tokens (each person who signs in brings two, registered on the event loop)."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator

import pytest

from bot import redact


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    saved = set(redact._secrets)
    redact.forget()
    yield
    redact.forget()
    redact.register(*saved)


def test_each_secret_is_masked_leftmost_first_and_longest_at_a_place() -> None:
    known = ["abcdef", "abcdefgh", "xyz12345", "9f8e7d6c5b"]
    redact.register(*known, "short", None, "")
    text = "x abcdefgh y abcdefg abcdef xyz12345xyz12345 abcde short 9f8e7d6c5b."
    # what one alternation of the secrets, longest first, replaces
    alternation = re.compile("|".join(re.escape(s) for s in sorted(known, key=len, reverse=True)))
    assert redact.redact(text) == alternation.sub("[redacted]", text)
    assert redact.redact(text) == (
        "x [redacted] y [redacted]g [redacted] [redacted][redacted] abcde short [redacted]."
    )


def test_registering_many_peoples_tokens_never_holds_the_loop() -> None:
    """Each register recompiled one regex of every secret: the 600th pair alone took ~100 ms of
    CPU. Timed by this thread's CPU (time.thread_time), not the wall: a busy machine's other
    processes don't count."""
    pairs = [(secrets.token_urlsafe(64), secrets.token_urlsafe(64)) for _ in range(600)]
    slowest = 0.0
    for access, refresh in pairs:
        started = time.thread_time()
        redact.register(access, refresh)
        slowest = max(slowest, time.thread_time() - started)
    assert slowest < 0.01
    assert redact.redact(f"Bearer-less {pairs[300][1]}!") == "Bearer-less [redacted]!"
