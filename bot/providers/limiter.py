"""One rate limiter per provider: a sliding window per (token, throttling group).

RingCentral counts requests per (user, app) and group in any 60 s (Light 50, Medium 40,
Heavy 10, Auth 5) and a 429 starts a penalty that restarts on every request sent during
it. So the limiter:
- counts every instance's sends in the store (`bot.store.rate_windows`), reserving a place
  right before each send, which is also when the penalty is checked;
- believes the platform's `X-Rate-Limit-Limit/-Remaining` when they say fewer are left
  (never those of a 429, which describe the penalty: its `Retry-After` says how long);
- gives each person at most `person_share` of a window on a token several people share
  (the administrator's), so one person's burst never locks everyone else out;
- bounds every wait: a person's request waits at most 5 s (docs/contract.md "Rate limits"), then
  fails at once with `RateLimited(retry_after)` and nothing is sent; background work
  (the engine, reverts, profile checks) waits longer but uses at most three quarters of a
  window, so people always find room; a readiness probe never waits.
"""

from __future__ import annotations

import asyncio
import enum
import math
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx

from bot.context import rate_wait_aside
from bot.domain.clock import epoch
from bot.domain.lines import ProviderName
from bot.providers.errors import RateLimited
from bot.store import Database, rate_windows

WINDOW_SECONDS = 60.0
# Our clock stamps a send before the platform receives it: counting a slightly longer
# window keeps a place freed by our count from still being taken in the platform's.
WINDOW_MARGIN_SECONDS = 1.0
PERSON_WAIT_SECONDS = 5.0
BACKGROUND_WAIT_SECONDS = 30.0
BACKGROUND_SHARE = 0.75  # of each window; the rest is kept for people
PERSON_SHARE = 0.2  # of each window on a shared token, for any one person (1: no cap)


class Priority(enum.Enum):
    PERSON = "person"
    BACKGROUND = "background"
    PROBE = "probe"


_priority: ContextVar[Priority] = ContextVar("provider_priority", default=Priority.PERSON)


@contextmanager
def priority(level: Priority) -> Iterator[None]:
    """Run the block's provider calls at `level` (the default is a person's request)."""
    token = _priority.set(level)
    try:
        yield
    finally:
        _priority.reset(token)


def current_priority() -> Priority:
    """The priority the running code's provider calls go at."""
    return _priority.get()


@dataclass(frozen=True, slots=True)
class Ticket:
    bucket: str
    used: int
    limit: int


class RateLimiter:
    def __init__(
        self,
        *,
        provider: ProviderName,
        limits: Mapping[str, int],
        database: Database | None,
        enabled: bool = True,
        person_wait: float = PERSON_WAIT_SECONDS,
        person_share: float = PERSON_SHARE,
        clock: Callable[[], float] = epoch,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.provider = provider
        self.enabled = enabled  # off: penalties still hold, sends are not counted
        self._limits = dict(limits)
        self._database = database
        self._person_wait = person_wait
        self._person_share = person_share
        self._clock = clock
        self._sleep = sleep
        self._penalties: dict[str, float] = {}  # what this process already knows

    def _bucket(self, token: str, group: str) -> str:
        return f"{self.provider}:{token}:{group}"

    def _person_cap(self, limit: int, person: str | None, level: Priority) -> int | None:
        """How many of a window `person` may use on a shared token; None: no cap applies."""
        if person is None or level is not Priority.PERSON or self._person_share >= 1:
            return None
        return max(1, math.floor(limit * self._person_share))

    async def acquire(self, token: str, group: str, *, person: str | None = None) -> Ticket | None:
        """A place for one send of `group` with `token`; raises RateLimited past the bound.

        With `person` (a token several people share), that person also takes a place in
        their own share of the window (`person_share` of it), so one person's burst leaves
        the rest of the window to everyone else; past it only they are told to wait.
        """
        limit = self._limits.get(group)
        if limit is None or self._database is None:
            return None
        level = _priority.get()
        bound = {
            Priority.PERSON: self._person_wait,
            Priority.BACKGROUND: BACKGROUND_WAIT_SECONDS,
            Priority.PROBE: 0.0,
        }[level]
        cap = limit if level is not Priority.BACKGROUND else max(1, math.floor(limit * BACKGROUND_SHARE))
        bucket = self._bucket(token, group)
        started = self._clock()
        while True:
            now = self._clock()
            known = self._penalties.get(bucket, 0.0) - now
            share = self._person_cap(limit, person, level)
            if known > 0:
                wait, penalized, own_share = known, True, False
            elif (
                share is not None
                and not (
                    theirs := await rate_windows.reserve(
                        self._database,
                        bucket=f"{bucket}@{person}",
                        limit=share,
                        cap=share,
                        # ours alone, no platform count to stay behind: no margin, so the
                        # wait a person is told is never more than the window's 60 s
                        window=WINDOW_SECONDS,
                        now=now,
                        count=self.enabled,
                    )
                ).granted
            ):
                wait, penalized, own_share = theirs.wait, False, True
            else:
                got = await rate_windows.reserve(
                    self._database,
                    bucket=bucket,
                    limit=limit,
                    cap=cap,
                    window=WINDOW_SECONDS + WINDOW_MARGIN_SECONDS,
                    now=now,
                    count=self.enabled,
                )
                if got.granted:
                    return Ticket(bucket, got.used, got.limit)
                if share is not None and self.enabled:  # nothing sent: the person's place back
                    await rate_windows.release(self._database, bucket=f"{bucket}@{person}", at=now)
                wait, penalized, own_share = got.wait, got.penalized, False
                if penalized:
                    self._penalties[bucket] = now + wait
            if now - started + wait > bound:
                raise RateLimited(
                    f"group {group} {'penalized' if penalized else 'at its limit'}",
                    retry_after=math.ceil(wait),
                    own_share=own_share,
                    provider=self.provider,
                    status=429 if penalized else None,
                )
            aside = rate_wait_aside.get()
            if aside is None:
                await self._sleep(wait)
            else:
                async with aside():  # its slot is free for other work meanwhile (bot.tasks)
                    await self._sleep(wait)

    async def penalize(self, token: str, group: str, seconds: float) -> None:
        bucket = self._bucket(token, group)
        until = self._clock() + seconds
        self._penalties[bucket] = max(until, self._penalties.get(bucket, 0.0))
        if self._database is not None:
            await rate_windows.penalize(self._database, bucket=bucket, until=until)

    async def observe(self, ticket: Ticket | None, headers: httpx.Headers) -> None:
        """Take the platform's count when it says fewer places are left than ours."""
        if ticket is None or self._database is None or not self.enabled:
            return
        try:
            limit = int(headers["X-Rate-Limit-Limit"])
            remaining = int(headers["X-Rate-Limit-Remaining"])
            window = float(headers.get("X-Rate-Limit-Window", WINDOW_SECONDS))
        except (KeyError, ValueError):
            return
        if limit < ticket.limit or remaining < limit - ticket.used:
            await rate_windows.announce(
                self._database,
                bucket=ticket.bucket,
                limit=min(limit, ticket.limit),
                remaining=remaining,
                window=max(window, WINDOW_SECONDS),
                now=self._clock(),
            )
