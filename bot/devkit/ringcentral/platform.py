"""What RingCentral adds around every answer: RCRequestId, X-Rate-Limit-* headers, the
throttling itself (429 CMN-301, Retry-After 60, a penalty that restarts on any request of
its group), `uri`s naming the host that was called, and JSON bodies for unknown paths.

A 429 carries `Retry-After` (the seconds before the group may be used again) and the
`X-Rate-Limit-*` headers with `Remaining: 0`, as every 429 does on the platform
(https://developers.ringcentral.com/guide/basics/rate-limits: "The retry period (in
seconds) after which more requests can be sent, is specified in Retry-After").

Limits are per (token, throttling group) in any 60 s window (RingCentral's rate-limits
page: Light 50, Medium 40, Heavy 10, Auth 5). The group of each operation is the spec's
`x-throttling-group` (`GROUPS`; a contract test checks this table against the OpenAPI file).
Headers are always sent; requests are refused only with `enforce` (`--rate-limits`).
"""

from __future__ import annotations

import collections
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

WINDOW = 60.0
PENALTY = 60.0
LIMITS = {"Light": 50, "Medium": 40, "Heavy": 10, "Auth": 5}
PLATFORM = b"https://platform.ringcentral.com"
_ID = r"[^/]+"
# (method, path pattern, group) for every operation the emulator serves
GROUPS: list[tuple[str, str, str]] = [
    ("POST", r"/restapi/oauth/(token|revoke)", "Auth"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}", "Light"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number", "Light"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number/{_ID}", "Light"),
    ("PUT", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number/{_ID}", "Medium"),
    ("DELETE", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number/{_ID}", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/presence", "Light"),
    ("DELETE", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/forwarding-number", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/phone-number", "Heavy"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/phone-number", "Light"),
    ("PUT", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/answering-rule/{_ID}", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/telephony/sessions/{_ID}", "Light"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/telephony/sessions/{_ID}/parties/{_ID}/transfer", "Light"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/telephony/sessions/{_ID}/parties/{_ID}/flip", "Light"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/telephony/sessions/{_ID}/parties/{_ID}/forward", "Light"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/telephony/sessions/{_ID}/parties/{_ID}/reject", "Light"),
    ("POST", r"/restapi/v1\.0/subscription", "Medium"),
    ("GET", rf"/restapi/v1\.0/subscription/{_ID}", "Light"),
    ("DELETE", rf"/restapi/v1\.0/subscription/{_ID}", "Medium"),
    ("POST", rf"/restapi/v1\.0/subscription/{_ID}/renew", "Light"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/features", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/answering-rule", "Medium"),
    ("POST", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/answering-rule", "Medium"),
    ("GET", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/answering-rule/{_ID}", "Light"),
    ("DELETE", rf"/restapi/v1\.0/account/{_ID}/extension/{_ID}/answering-rule/{_ID}", "Medium"),
    ("GET", rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/call-flip-numbers", "Light"),
    ("GET", rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/states", "Medium"),
    ("GET", rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/states/{_ID}", "Medium"),
    ("PATCH", rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/states/{_ID}", "Medium"),
    ("GET", rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/voice/state-rules", "Medium"),
    (
        "GET",
        rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/voice/state-rules/{_ID}",
        "Medium",
    ),
    (
        "PATCH",
        rf"/restapi/v2/accounts/{_ID}/extensions/{_ID}/comm-handling/voice/state-rules/{_ID}",
        "Medium",
    ),
]
_COMPILED = [(method, re.compile(f"^{pattern}$"), group) for method, pattern, group in GROUPS]


def group_of(method: str, path: str) -> str | None:
    return next((g for m, p, g in _COMPILED if m == method and p.match(path)), None)


@dataclass
class Buckets:
    """Request times and penalties per (token, group)."""

    enforce: bool = False
    clock: Callable[[], float] = time.monotonic
    _seen: dict[tuple[str, str], collections.deque[float]] = field(default_factory=dict)
    _penalty_until: dict[tuple[str, str], float] = field(default_factory=dict)
    refused: int = 0  # 429s answered, for tests and the bench

    def admit(self, key: tuple[str, str]) -> tuple[bool, int]:
        """(allowed, remaining) for one request of `key`, counting it."""
        now = self.clock()
        limit = LIMITS[key[1]]
        seen = self._seen.setdefault(key, collections.deque())
        while seen and now - seen[0] >= WINDOW:
            seen.popleft()
        if self.enforce and self._penalty_until.get(key, 0.0) > now:
            self._penalty_until[key] = now + PENALTY  # any request during it restarts it
            self.refused += 1
            return False, 0
        if self.enforce and len(seen) >= limit:
            self._penalty_until[key] = now + PENALTY
            self.refused += 1
            return False, 0
        seen.append(now)
        return True, max(0, limit - len(seen))


class PlatformMiddleware:
    def __init__(self, app: ASGIApp, buckets: Buckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        group = group_of(scope["method"], scope["path"]) or "Light"
        headers = dict(scope.get("headers") or [])
        token = headers.get(b"authorization", b"-").decode("latin-1")
        allowed, remaining = self.buckets.admit((token, group))
        extra = [
            (b"rcrequestid", request_id.encode()),
            (b"x-rate-limit-group", group.encode()),
            (b"x-rate-limit-limit", str(LIMITS[group]).encode()),
            (b"x-rate-limit-remaining", str(remaining).encode()),
            (b"x-rate-limit-window", str(int(WINDOW)).encode()),
        ]
        if not allowed:
            body = {
                "errorCode": "CMN-301",
                "message": "Request rate exceeded",
                "errors": [{"errorCode": "CMN-301", "message": "Request rate exceeded"}],
            }
            await _send_json(send, 429, body, [*extra, (b"retry-after", str(int(PENALTY)).encode())])
            return
        host = _host(headers, scope)
        await self.app(scope, receive, _Rewriting(send, extra, host))


def _host(headers: dict[bytes, bytes], scope: Scope) -> bytes:
    scheme = str(scope.get("scheme") or "http").encode()
    return scheme + b"://" + headers.get(b"host", b"localhost")


class _Rewriting:
    """Add the platform's headers; make `uri`s name the host that was called; JSON for 404/405."""

    def __init__(self, send: Send, extra: list[tuple[bytes, bytes]], host: bytes) -> None:
        self._send, self._extra, self._host = send, extra, host
        self._status = 200
        self._headers: list[tuple[bytes, bytes]] = []
        self._body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = int(message["status"])
            self._headers = [
                (k, v)
                for k, v in message.get("headers", [])
                if not k.lower().startswith(b"x-rate-limit") and k.lower() != b"content-length"
            ]
            return
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        self._body += message.get("body", b"")
        if message.get("more_body"):
            return
        is_json = any(k.lower() == b"content-type" and b"json" in v for k, v in self._headers)
        body, headers = self._body, self._headers
        if self._status in (404, 405) and not is_json:
            body = _not_served(self._status)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
            headers.append((b"content-type", b"application/json"))
        elif is_json:
            body = body.replace(PLATFORM, self._host)
        extra = self._extra
        if self._status == 429:  # a 429 (an injected one too) leaves nothing: Remaining 0
            extra = [(k, b"0" if k == b"x-rate-limit-remaining" else v) for k, v in extra]
        headers = [*headers, *extra, (b"content-length", str(len(body)).encode())]
        await self._send({"type": "http.response.start", "status": self._status, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})


def _not_served(status: int) -> bytes:
    """RingCentral's error shape for a path or method it doesn't serve (README "Provider assumptions")."""
    code, message = (
        ("CMN-102", "Resource for parameter [path] is not found")
        if status == 404
        else ("CMN-405", "Method is not allowed")
    )
    return json.dumps(
        {"errorCode": code, "message": message, "errors": [{"errorCode": code, "message": message}]}
    ).encode()


async def _send_json(send: Send, status: int, body: object, headers: list[tuple[bytes, bytes]]) -> None:
    raw = json.dumps(body).encode()
    start_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(raw)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": raw})
