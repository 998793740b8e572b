"""Client-side rate budgets and shared 429 holds.

A budget spaces calls of each throttling group so the platform rarely needs to say 429
(RingCentral: Light 50, Medium 40, Heavy 10, Auth 5 per minute, shared by every Slack user
because the bot is one RingCentral user). After a 429 the group is held until Retry-After
has passed; the hold is written to the store so every instance respects it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.store import Database, holds

HOLD_REFRESH_SECONDS = 1.0


@dataclass
class _Bucket:
    per_minute: float
    tokens: float
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float) -> float:
        """Take one token; return how long to wait for it first (0 when available)."""
        rate = self.per_minute / 60.0
        self.tokens = min(self.per_minute, self.tokens + (now - self.stamp) * rate)
        self.stamp = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / rate


class RateBudget:
    def __init__(
        self,
        *,
        provider: str,
        limits: dict[str, float],
        database: Database | None,
        enabled: bool = True,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.provider = provider
        self.enabled = enabled
        self._database = database
        self._sleep = sleep
        self._buckets = {g: _Bucket(per_minute=n, tokens=n) for g, n in limits.items()}
        self._held_until: dict[str, datetime] = {}
        self._hold_checked: dict[str, float] = {}

    async def remaining_hold(self, group: str) -> float:
        """Seconds left on a 429 penalty for the group (0 when none), as any instance saw it."""
        now = time.monotonic()
        if self._database is not None and now - self._hold_checked.get(group, 0) > HOLD_REFRESH_SECONDS:
            self._hold_checked[group] = now
            stored = await holds.held_until(self._database, provider=self.provider, group=group)
            if stored is not None and stored > self._held_until.get(group, stored - timedelta(1)):
                self._held_until[group] = stored
        until = self._held_until.get(group)
        if until is None:
            return 0.0
        return max(0.0, (until - datetime.now(UTC)).total_seconds())

    async def hold(self, group: str, seconds: float) -> None:
        until = datetime.now(UTC) + timedelta(seconds=seconds)
        self._held_until[group] = max(until, self._held_until.get(group, until))
        if self._database is not None:
            await holds.hold(self._database, provider=self.provider, group=group, until=until)

    async def space(self, group: str) -> None:
        """Wait until the local budget of the group allows one more call."""
        bucket = self._buckets.get(group)
        if not self.enabled or bucket is None:
            return
        wait = bucket.take(time.monotonic())
        if wait > 0:
            await self._sleep(wait)
