"""/readyz: the database (reachable, migrations current), Slack (`auth.test`) and each
configured provider, checked at most every 30 s.

A rate-limit penalty is not an outage (docs/contract.md "Rate limits"): a probe that finds its
group penalized reports the provider as degraded, and /readyz stays 200.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError

from bot.domain.clock import monotonic
from bot.providers.errors import RateLimited
from bot.providers.limiter import Priority, priority
from bot.runtime import Runtime
from bot.store.migrate import behind

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 30.0
PROBE_TIMEOUT_SECONDS = 10.0


class Readiness:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._checked_at = -MAX_AGE_SECONDS
        self._failing: dict[str, str] = {}
        self._degraded: dict[str, str] = {}
        self._lock = asyncio.Lock()

    async def failing(self) -> dict[str, str]:
        """Components failing at the last check (re-checked when older than 30 s)."""
        async with self._lock:
            if monotonic() - self._checked_at >= MAX_AGE_SECONDS:
                self._degraded = {}
                with priority(Priority.PROBE):  # never waits for, or spends into, a penalty
                    self._failing = await self._check()
                self._checked_at = monotonic()
            return dict(self._failing)

    @property
    def degraded(self) -> dict[str, str]:
        """Components answering but rate-limited at the last check."""
        return dict(self._degraded)

    async def _check(self) -> dict[str, str]:
        failing: dict[str, str] = {}
        try:
            await asyncio.wait_for(self._runtime.database.ping(), PROBE_TIMEOUT_SECONDS)
            if problem := await asyncio.wait_for(behind(self._runtime.database), PROBE_TIMEOUT_SECONDS):
                failing["database"] = problem
        except Exception as exc:
            failing["database"] = type(exc).__name__
        try:
            await asyncio.wait_for(self._runtime.slack.auth_test(), PROBE_TIMEOUT_SECONDS)
        except SlackApiError as exc:
            failing["slack"] = f"Slack: auth.test said {exc.response.get('error', 'error')}"
        except Exception as exc:
            log.warning("readiness: slack auth.test failed: %s", type(exc).__name__)
            failing["slack"] = f"Slack: auth.test failed ({type(exc).__name__})"
        for probe in self._runtime.providers.probes:
            try:
                await asyncio.wait_for(probe.probe(), PROBE_TIMEOUT_SECONDS)
            except RateLimited as exc:
                name = probe.provider.display
                self._degraded[probe.provider.value] = (
                    f"{name}: rate-limited for {max(1, round(exc.retry_after))} s"
                )
            except Exception as exc:
                log.warning("readiness: %s failed: %s", probe.provider.value, type(exc).__name__)
                name = probe.provider.display
                failing[probe.provider.value] = f"{name}: {type(exc).__name__}"
        return failing
