"""uvicorn's HTTP protocol with the front's own limits on heads, bodies and idle connections.

Why a protocol class and not settings or an ASGI check (docs/contract.md "Fair shares and a
hardened front"):
- uvicorn's cap on a request head (`h11_max_incomplete_event_size`) applies to the h11
  parser only; with httptools (what `serve` runs when it is installed) heads of 4 MB were
  read and answered 200. An ASGI-level check comes after the whole head is in memory, so
  the head is measured here, in the bytes received, before any parser sees them.
- uvicorn starts no timer before a connection's first request (its keep-alive timer runs
  only after a response), and none while a body trickles in: 1,000 connections that never
  sent a byte stayed open, and stalled bodies held memory for as long as the client wished.
- `limit_concurrency` counts idle connections too and answers 503 to everyone beyond it:
  idle connections became a way to refuse /healthz and Slack's signed requests. Instead,
  connections still waiting for a request head are capped (`MAX_WAITING`), the oldest
  closed first: a real client sends its head as soon as it connects, so it is always among
  the newest. A cap per client address is not used: behind a proxy (and in tests, on
  loopback) every client has the same address, so such a cap would refuse Slack too.

The same rules apply whichever parser is in use: `protocol_class()` returns the guarded
httptools protocol when httptools is installed (uvicorn's own "auto" choice), else h11.
"""

from __future__ import annotations

import asyncio
import collections
import logging
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.domain.clock import monotonic

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 16 * 1024  # request line + headers
HEAD_SECONDS = 10.0  # to send a complete head, from the connection (or its first byte)
BODY_SECONDS = 10.0  # to send the whole body, from the end of the head
MAX_WAITING = 256  # connections waiting for a head; beyond it the oldest is closed
LINGER_SECONDS = 2.0  # after a 431 or 408: the client's bytes read and dropped, then closed

_ENDS_HEAD = (b"\r\n\r\n", b"\n\n")


def _raw_response(status: int, reason: str) -> bytes:
    body = f"{reason}\n".encode()
    return (
        f"HTTP/1.1 {status} {reason}\r\n"
        "content-type: text/plain; charset=utf-8\r\n"
        "connection: close\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body


TOO_LARGE = _raw_response(431, "Request Header Fields Too Large")
TIMED_OUT = _raw_response(408, "Request Timeout")


class _Evictions:
    """Closing idle connections is logged once a minute at most, with the count."""

    def __init__(self) -> None:
        self.count, self.logged_at = 0, 0.0

    def note(self) -> None:
        self.count += 1
        now = monotonic()
        if now - self.logged_at >= 60.0:
            log.warning(
                "over %d connections waiting for a request: closed the oldest (%d so far)",
                MAX_WAITING,
                self.count,
            )
            self.logged_at = now


_evicted = _Evictions()
# Every guarded connection waiting for a request head, oldest first (one event loop).
_waiting: collections.OrderedDict[_FrontGuard, None] = collections.OrderedDict()


class _FrontGuard(asyncio.Protocol):
    """Mixed in before uvicorn's protocol class; reads its `transport` and `cycle`."""

    _head_bytes = 0
    _discarding = False
    _tail = b""
    _cycle_seen: Any = None
    _head_timer: asyncio.TimerHandle | None = None
    _body_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._head_timer = asyncio.get_running_loop().call_later(HEAD_SECONDS, self._head_late)
        self._wait()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timers()
        _waiting.pop(self, None)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._discarding:
            return
        if self._in_head():
            if self._head_timer is None:  # the next request on a kept-alive connection
                self._head_timer = asyncio.get_running_loop().call_later(HEAD_SECONDS, self._head_late)
            room = max(0, MAX_HEAD_BYTES - self._head_bytes)
            window = self._tail + data[:room]
            if self._head_bytes + len(data) > MAX_HEAD_BYTES and not any(
                end in window for end in _ENDS_HEAD
            ):
                log.warning("refused a request head over %d bytes (431)", MAX_HEAD_BYTES)
                self._refuse(TOO_LARGE)
                return
            self._head_bytes += len(data)
            self._tail = window[-3:]
        super().data_received(data)
        self._check_cycle()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._check_cycle()
        if self._in_head() and not self._transport().is_closing():
            self._wait()

    # -- the rules

    def _in_head(self) -> bool:
        """Are the bytes arriving now a request head (not the current request's body)?"""
        cycle = self._cycle()
        return cycle is None or (bool(cycle.response_complete) and not cycle.more_body)

    def _check_cycle(self) -> None:
        """After the parser ran: a new request cycle means a head was completed."""
        cycle = self._cycle()
        if cycle is None or cycle is self._cycle_seen:
            return
        self._cycle_seen = cycle
        self._head_bytes, self._tail = 0, b""
        _waiting.pop(self, None)
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        if self._body_timer is not None:
            self._body_timer.cancel()
        self._body_timer = asyncio.get_running_loop().call_later(BODY_SECONDS, self._body_late, cycle)

    def _head_late(self) -> None:
        self._head_timer = None
        if self._in_head() and not self._transport().is_closing():
            log.debug(
                "closed a connection that sent no complete request head within %.0f s", HEAD_SECONDS
            )
            self._transport().close()

    def _body_late(self, cycle: Any) -> None:
        self._body_timer = None
        if cycle is not self._cycle() or not cycle.more_body or cycle.disconnected:
            return
        log.warning("a request body was not complete within %.0f s (408)", BODY_SECONDS)
        started = bool(cycle.response_started)
        cycle.disconnected = True  # the app reads a disconnect; anything it sends is dropped
        cycle.message_event.set()
        self._refuse(None if started else TIMED_OUT)

    def _wait(self) -> None:
        """Count this connection among those waiting for a head; close the oldest beyond the cap."""
        _waiting[self] = None
        _waiting.move_to_end(self)
        while len(_waiting) > MAX_WAITING:
            oldest, _ = _waiting.popitem(last=False)
            oldest._transport().close()
            _evicted.note()

    def _refuse(self, answer: bytes | None) -> None:
        """Answer (431, 408) and close. Closing with the client's bytes unread would send a
        reset that can destroy the answer before it is read, so the rest of what the client
        sends is read and dropped for a moment first (a lingering close, as web servers do)."""
        transport = self._transport()
        if transport.is_closing() or self._discarding:
            return
        if answer is None:
            transport.close()
            return
        self._discarding = True
        self._stop_timers()
        _waiting.pop(self, None)
        transport.write(answer)
        if transport.can_write_eof():
            transport.write_eof()
        asyncio.get_running_loop().call_later(LINGER_SECONDS, transport.close)

    def _stop_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None

    def _cycle(self) -> Any:
        return getattr(self, "cycle", None)

    def _transport(self) -> asyncio.Transport:
        transport: asyncio.Transport = getattr(self, "transport")  # noqa: B009 (set by uvicorn)
        return transport


class GuardedH11Protocol(_FrontGuard, H11Protocol):
    pass


def protocol_class() -> type[asyncio.Protocol]:
    """The guarded form of the parser uvicorn's "auto" would pick."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools not installed
        return GuardedH11Protocol

    class GuardedHttpToolsProtocol(_FrontGuard, HttpToolsProtocol):
        pass

    return GuardedHttpToolsProtocol
