"""Sending provider requests: docs/design.md's one table of retries, rate limits and idempotency.

| kind       | connect error (not sent) | timeout / 5xx after sending        | 429               |
|------------|--------------------------|------------------------------------|-------------------|
| READ       | retry                    | retry                              | wait, then retry  |
| WRITE      | retry                    | Unavailable(sent=True): re-read    | wait, then retry  |
| CREATE     | retry                    | Unavailable(sent=True): never resend | wait, then retry |
| REPEATABLE | retry                    | retry                              | wait, then retry  |
| TOKEN      | retry                    | retry                              | wait, then retry  |

Retries are jittered, at most `tries` attempts and `total_seconds` in all. Every attempt
first takes a place from the rate limiter (bot.providers.limiter), which is where a
running penalty is seen; a 429 starts the penalty for that token and group on every
instance. A person waits for a place at most `max_hold_wait` (5 s), then gets
RateLimited and nothing is sent.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

import httpx

from bot import metrics
from bot.domain.clock import monotonic
from bot.domain.lines import ProviderName
from bot.providers.coalesce import InFlight, Recent, reusing
from bot.providers.errors import RateLimited, Unavailable
from bot.providers.limiter import Priority, RateLimiter, current_priority

log = logging.getLogger(__name__)


class Kind(enum.Enum):
    READ = "read"
    WRITE = "write"
    CREATE = "create"
    REPEATABLE = "repeatable"
    TOKEN = "token"


_RESEND_AFTER_SENT = {Kind.READ, Kind.REPEATABLE, Kind.TOKEN}
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 3
    total_seconds: float = 10.0
    first_delay: float = 0.5
    max_hold_wait: float = 5.0  # a person's longest wait for a rate-limit place
    default_retry_after: float = 30.0
    scale: float = 1.0  # tests and benchmarks shrink every wait with this

    def backoff(self, attempt: int) -> float:
        jitter = random.uniform(0.5, 1.0)
        return float(self.first_delay * (2 ** (attempt - 1)) * jitter * self.scale)


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return default


class ProviderHttp:
    """One provider's sender: an httpx client, a retry policy and a rate limiter."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        provider: ProviderName,
        policy: RetryPolicy,
        limiter: RateLimiter,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = monotonic,
    ) -> None:
        self.client = client
        self.provider = provider
        self.policy = policy
        self.limiter = limiter
        self._sleep = sleep
        self._clock = clock  # the read cache's age and each send's total time budget
        self._reads: InFlight[httpx.Response] = InFlight()
        self._recent: Recent[httpx.Response] = Recent(clock=clock)

    async def shared_read(
        self,
        key: Hashable,
        read: Callable[[], Awaitable[httpx.Response]],
        *,
        scope: Hashable | None = None,
    ) -> httpx.Response:
        """`read` (a GET through `send`), shared with identical reads already in flight.

        Clients key it before building the request: building and parsing URLs measured as a
        tenth of a request's cost in `make bench` (bot.providers.coalesce says why it's safe).
        With a `scope` (what a change to the resource read is sent with), a person's read
        inside `recent_reads()` may be answered by one of the last few seconds; the engine's
        and other background reads never are.
        """
        reuse = scope is not None and reusing() and current_priority() is Priority.PERSON
        if reuse and (kept := self._recent.get(key)) is not None:
            return kept
        started = self._recent.start()
        response = await self._reads.join(key, read)
        if scope is not None:
            self._recent.keep(key, scope, response, started, new=reuse)
        return response

    async def send(
        self,
        request: httpx.Request,
        *,
        kind: Kind,
        group: str,
        account: str = "app",
        person: str | None = None,
        scope: Hashable | None = None,
    ) -> httpx.Response:
        """Send with retries; returns any response below 500 other than 429.

        `account` names whose rate bucket the request counts in (RingCentral: per login);
        `person`, when the bucket is shared by several people (the administrator's token),
        names whose fair share of it the request also counts in. A change forgets the
        recent reads of its `scope` (None: all of them) as it starts and as it ends.
        """
        if kind in (Kind.READ, Kind.TOKEN):  # a token changes nothing a read shows
            if kind is Kind.TOKEN:
                self._reads.forget_all()
            return await self._send(request, kind=kind, group=group, account=account, person=person)
        self._reads.forget_all()  # a change: no read from now on joins an older one
        self._recent.changed(scope)
        try:
            return await self._send(request, kind=kind, group=group, account=account, person=person)
        finally:
            self._recent.changed(scope)  # nor one read while it was under way

    async def _send(
        self, request: httpx.Request, *, kind: Kind, group: str, account: str, person: str | None
    ) -> httpx.Response:
        started = self._clock()
        for attempt in range(1, self.policy.tries + 1):
            last = attempt == self.policy.tries or self._out_of_time(started)
            try:  # the penalty and the person's share are checked here
                ticket = await self.limiter.acquire(account, group, person=person)
            except RateLimited:
                metrics.RATE_LIMITED.labels(self.provider).inc()
                raise
            try:
                response = await self.client.send(request)
            except _NOT_SENT as exc:
                metrics.PROVIDER_REQUESTS.labels(self.provider, group, "error").inc()
                error: Exception = self._unavailable(exc, sent=False)
            except _MAYBE_SENT as exc:
                metrics.PROVIDER_REQUESTS.labels(self.provider, group, "error").inc()
                error = self._unavailable(exc, sent=True)
                if kind not in _RESEND_AFTER_SENT:
                    raise error from None
            else:
                metrics.PROVIDER_REQUESTS.labels(self.provider, group, str(response.status_code)).inc()
                if response.status_code == 429:
                    metrics.RATE_LIMITED.labels(self.provider).inc()
                    # Read by its Retry-After alone: the 429's own `X-Rate-Limit-Remaining: 0`
                    # describes the penalty, not a window full of sends (believing it held
                    # the group a whole window after a `Retry-After: 2`).
                    await self._note_429(response, group, account)
                    if last:
                        raise self._rate_limited(response, group)
                    continue
                await self.limiter.observe(ticket, response.headers)
                if response.status_code < 500:
                    return response
                error = Unavailable(
                    f"HTTP {response.status_code}",
                    sent=True,
                    provider=self.provider,
                    status=response.status_code,
                    request_id=response.headers.get("RCRequestId"),
                )
                if kind not in _RESEND_AFTER_SENT:
                    raise error
            if last:
                raise error
            log.info("provider %s: retrying after %s", self.provider, type(error).__name__)
            await self._sleep(self.policy.backoff(attempt))
        raise AssertionError("unreachable")

    def _out_of_time(self, started: float) -> bool:
        return self._clock() - started > self.policy.total_seconds * max(self.policy.scale, 0.01)

    async def _note_429(self, response: httpx.Response, group: str, account: str) -> None:
        seconds = retry_after_seconds(response, self.policy.default_retry_after)
        await self.limiter.penalize(account, group, seconds)
        log.warning("provider %s: 429 on group %s, holding %.0f s", self.provider, group, seconds)

    def _rate_limited(self, response: httpx.Response, group: str) -> RateLimited:
        seconds = retry_after_seconds(response, self.policy.default_retry_after)
        return RateLimited(
            f"group {group} rate limited", retry_after=seconds, provider=self.provider, status=429
        )

    def _unavailable(self, exc: Exception, *, sent: bool) -> Unavailable:
        return Unavailable(f"{type(exc).__name__}", sent=sent, provider=self.provider)
