"""Reading request bodies no parser should trust: a byte cap, and JSON within bounds.

Python's `json` recurses once per level (a body nested 1,000 deep raised RecursionError,
a 500) and accepts integers of any size and `NaN`/`1e999`; we store integers as signed
64-bit columns (a webhook `sequence` of 10**30 posted a card that then failed to store).
So every JSON body that reaches us from outside is read by `load_json`, which refuses
(ValueError) anything nested deeper than `MAX_DEPTH`, an integer outside int64 and a
number that isn't finite: the fronts answer those with 400 (docs/contract.md "Fair shares and a
hardened front").
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

MAX_DEPTH = 32
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to exceed `limit` (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or len(declared) > 12 or int(declared) > limit):
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19:  # before int(): 10**4300 costs time even to refuse
        raise ValueError("integer out of range")
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError("integer out of range")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest


def load_json(raw: str | bytes) -> Any:
    """The parsed value; ValueError for malformed JSON or JSON out of our bounds."""
    try:
        value = json.loads(raw, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except (RecursionError, UnicodeDecodeError) as exc:  # the C parser's own depth guard
        raise ValueError(str(exc)) from None
    if _depth(value) > MAX_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return value
