"""Fault injection for emulators: latency, status codes (429 with Retry-After), drops.

Rules are matched on "METHOD /path-fragment"; `*` matches any method. The CLI form is
`--fail 'POST /forwarding-number=503'`, `--fail 'GET /extension=429:2'` (Retry-After 2 s),
`--fail '* /presence=drop'`, optionally `xN` at the end to fire N times only.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SPEC = re.compile(
    r"^(?P<method>\*|[A-Z]+)\s+(?P<path>\S+)=(?P<action>drop|\d{3})(?::(?P<arg>[\d.]+))?(?:x(?P<times>\d+))?$"
)


@dataclass
class Fault:
    method: str
    path: str
    status: int | None = None  # None: drop the connection
    retry_after: float | None = None
    times: int | None = None  # None: every time
    latency: float = 0.0
    body: dict[str, Any] | None = None  # the answer's JSON; default: a generic error

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and self.path in path and self.times != 0


def parse_fault(spec: str) -> Fault:
    match = _SPEC.match(spec.strip())
    if not match:
        raise ValueError(
            f"fault spec must look like 'POST /path=503' or 'GET /path=429:2', not {spec!r}"
        )
    action = match["action"]
    return Fault(
        method=match["method"],
        path=match["path"],
        status=None if action == "drop" else int(action),
        retry_after=float(match["arg"]) if match["arg"] else None,
        times=int(match["times"]) if match["times"] else None,
    )


@dataclass
class Faults:
    """Mutable fault table and request log, shared by the emulator app and its tests."""

    latency: float = 0.0
    rules: list[Fault] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)

    def add(self, fault: Fault | str) -> Fault:
        rule = parse_fault(fault) if isinstance(fault, str) else fault
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self.latency = 0.0

    def count(self, method: str, fragment: str = "") -> int:
        return sum(n for key, n in self.requests.items() if key.startswith(method) and fragment in key)

    def take(self, method: str, path: str) -> Fault | None:
        for rule in self.rules:
            if rule.matches(method, path):
                if rule.times is not None:
                    rule.times -= 1
                return rule
        return None


class FaultMiddleware:
    """Counts every request, then applies the first matching fault, if any."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.faults.requests[f"{method} {path}"] += 1
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        fault = self.faults.take(method, path)
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.status is None:
            await _drop(send)
        else:
            await _fail(send, fault)


async def _fail(send: Send, fault: Fault) -> None:
    generic = {"errorCode": "CMN-301" if fault.status == 429 else "CMN-211", "message": "Injected fault"}
    body = json.dumps(fault.body or generic).encode()
    headers = [(b"content-type", b"application/json")]
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(int(fault.retry_after)).encode()))
    await send({"type": "http.response.start", "status": fault.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop(send: Send) -> None:
    """Start a response and break it off: the client sees the connection die mid-answer."""
    start: Message = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-length", b"1000")],
    }
    await send(start)
    raise ConnectionResetError("fault injection: connection dropped")
