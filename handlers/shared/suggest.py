"""'Did you mean `list`?' for a command word that is almost right (docs/contract.md "Everyday on-call")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A sentence naming the closest choice, or "" when none is close (stdlib difflib) or the
    word is one of them (`/switchboard help` asked for the help: no "Did you mean `help`?")."""
    options = list(choices)
    if word.lower() in options:
        return ""
    close = difflib.get_close_matches(word.lower(), options, n=1, cutoff=0.6)
    return f"Did you mean `{close[0]}`?\n" if close else ""
