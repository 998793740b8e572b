"""One registry of secret values, so nothing we log or show can carry them.

Configured secrets are registered at start-up; provider clients register every token
they are issued. `redact()` is applied by the log formatter and to every provider error
message before it is stored on an exception.
"""

from __future__ import annotations

import re
import threading

_MIN_SECRET_LENGTH = 6
_secrets: set[str] = set()
_lock = threading.Lock()
# Each secret filed under its first _MIN_SECRET_LENGTH characters, longest first. One regex
# alternation of every secret was recompiled on each register (in pure Python): with 1,000
# people's tokens a register held the event loop 185 ms and the 9:00 burst's acks waited.
_by_prefix: dict[str, tuple[str, ...]] = {}


def forget() -> None:
    """Drop every registered secret (tests: a fresh process knows none)."""
    with _lock:
        _secrets.clear()
        _by_prefix.clear()


# Shapes that are secrets whatever their value (Slack tokens, bearer headers, apiKey fields).
_SHAPES = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
    r"|(?i:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"
    r"|(?i:\"?(?:apikey|api_key|access_token|refresh_token|client_secret|assertion)\"?\s*[:=]\s*\"?)[^\s\",&]+)"
)


def register(*values: str | None) -> None:
    fresh = {v for v in values if v and len(v) >= _MIN_SECRET_LENGTH} - _secrets
    if not fresh:
        return
    with _lock:
        _secrets.update(fresh)
        for value in fresh:
            head = value[:_MIN_SECRET_LENGTH]
            filed = {*_by_prefix.get(head, ()), value}
            _by_prefix[head] = tuple(sorted(filed, key=len, reverse=True))


def _known(text: str) -> str:
    """`text` with every registered secret replaced, leftmost first and the longest at each
    place (as an alternation of them, longest first, would)."""
    by_prefix, width = _by_prefix, _MIN_SECRET_LENGTH
    if not by_prefix or len(text) < width:
        return text
    parts: list[str] = []
    start = at = 0
    last = len(text) - width
    while at <= last:
        found = by_prefix.get(text[at : at + width])
        match = next((s for s in found if text.startswith(s, at)), None) if found else None
        if match is None:
            at += 1
            continue
        parts += (text[start:at], "[redacted]")
        at = start = at + len(match)
    return "".join(parts) + text[start:] if parts else text


def redact(text: str) -> str:
    return _SHAPES.sub(_mask_shape, _known(text))


def _mask_shape(match: re.Match[str]) -> str:
    found = match.group(0)
    for marker in (":", "="):
        if marker in found and not found.lower().startswith(("xox", "xapp")):
            head = found.split(marker, 1)[0]
            return f"{head}{marker}[redacted]"
    if " " in found:
        return found.split(" ", 1)[0] + " [redacted]"
    return "[redacted]"
