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
_pattern: re.Pattern[str] | None = None

# Shapes that are secrets whatever their value (Slack tokens, bearer headers, apiKey fields).
_SHAPES = re.compile(
    r"(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+"
    r"|(?i:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"
    r"|(?i:\"?(?:apikey|api_key|access_token|refresh_token|client_secret|assertion)\"?\s*[:=]\s*\"?)[^\s\",&]+)"
)


def register(*values: str | None) -> None:
    global _pattern
    fresh = {v for v in values if v and len(v) >= _MIN_SECRET_LENGTH} - _secrets
    if not fresh:
        return
    with _lock:
        _secrets.update(fresh)
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def redact(text: str) -> str:
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub("[redacted]", text)
    return _SHAPES.sub(_mask_shape, text)


def _mask_shape(match: re.Match[str]) -> str:
    found = match.group(0)
    for marker in (":", "="):
        if marker in found and not found.lower().startswith(("xox", "xapp")):
            head = found.split(marker, 1)[0]
            return f"{head}{marker}[redacted]"
    if " " in found:
        return found.split(" ", 1)[0] + " [redacted]"
    return "[redacted]"
