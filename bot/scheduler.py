"""The scheduler: every SWITCHBOARD_TICK_SECONDS, revert due quick toggles and reconcile
on-call hotlines (bot.oncall.engine); re-check email links and keep own sign-ins alive.

Rows are leased before work starts (FOR UPDATE SKIP LOCKED on PostgreSQL, BEGIN IMMEDIATE
on SQLite), so with several instances each revert is done once; a crash mid-way lets the
lease run out and the next tick repairs it (every revert step is safe to repeat).

It is given the services it uses (`bot.lifecycle.scheduler_for` picks them from the
runtime), so it never reaches the Slack side: notices go through the `Notifier` port.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from bot import profile_checks
from bot.domain.notices import message, plain
from bot.errors import said
from bot.oncall.engine import HandoffEngine
from bot.providers.limiter import Priority, priority
from bot.services.card_numbers import CardNumbers
from bot.services.identity import Identity
from bot.services.notifier import Notifier
from bot.services.push import PushKeeper
from bot.services.sign_in import SignInService
from bot.services.toggles import ToggleService
from bot.store import Database, idempotency
from bot.store import toggles as store
from bot.store.toggles import ToggleRecord

log = logging.getLogger(__name__)

RETRY_BACKOFF = timedelta(minutes=1)
# Idempotency keys outlive any redelivery or double click worth catching (a button in a
# DM can be clicked again days later); older ones are deleted once an hour.
KEEP_KEYS = timedelta(days=30)
PURGE_EVERY = timedelta(hours=1)


class SchedulerNotices(Notifier, Protocol):
    async def send_stored(self) -> int:
        """Send the store's own notices (a migration's) to the admins, once across instances."""
        ...


class Scheduler:
    def __init__(
        self,
        *,
        database: Database,
        clock: Callable[[], datetime],
        toggles: ToggleService,
        handoffs: HandoffEngine,
        identity: Identity,
        sign_in: SignInService,
        push: PushKeeper,
        notices: SchedulerNotices,
        tick_seconds: float,
        card_numbers: CardNumbers | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._toggles = toggles
        self._handoffs = handoffs
        self._identity = identity
        self._sign_in = sign_in
        self._push = push
        self._notices = notices
        self._tick_seconds = tick_seconds
        self._card_numbers = card_numbers
        self._task: asyncio.Task[None] | None = None
        self._purged_at: datetime | None = None

    async def tick(self, now: datetime | None = None) -> int:
        """Revert every due toggle; returns how many this instance handled."""
        moment = now or self._clock()
        due = await store.claim_due(self._database, now=moment)
        for toggle in due:
            await self._revert(toggle, moment)
        await self._handoffs.tick(moment)
        await self._purge_keys(moment)
        await profile_checks.recheck_due(self._identity, self._notices, moment)
        await self._keep_sign_ins(moment)
        await self._notices.send_stored()
        await self._keep_push()
        await self._read_card_numbers(moment)
        return len(due)

    async def _read_card_numbers(self, now: datetime) -> None:
        """Opted-in people's forwarding numbers read ahead of their calls (a few per tick)."""
        if self._card_numbers is None:
            return
        try:
            await self._card_numbers.refresh_due(now)
        except Exception as exc:
            log.warning("call cards' numbers: %s", plain(said(exc, log)))

    async def _keep_sign_ins(self, now: datetime) -> None:
        """Own sign-ins renewed at least daily; a failure waits a tick."""
        try:
            await self._sign_in.keep_alive(now)
        except Exception as exc:
            log.warning("keeping sign-ins alive: %s", plain(said(exc, log)))

    async def _keep_push(self) -> None:
        """The push subscription (created, renewed, recreated); a failure waits a tick."""
        try:
            await self._push.ensure()
        except Exception as exc:
            log.warning("push subscription: %s", plain(said(exc, log)))

    async def _purge_keys(self, now: datetime) -> None:
        if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        await idempotency.forget_older_than(self._database, cutoff=now - KEEP_KEYS)

    async def _revert(self, toggle: ToggleRecord, now: datetime) -> None:
        try:
            result = await self._toggles.revert(toggle)
        except Exception as exc:
            sentence = said(exc, log)
            retry_at = now + RETRY_BACKOFF * toggle.attempts
            async with self._database.session() as session:
                await store.release_lease(session, toggle_id=toggle.id, retry_at=retry_at)
            if toggle.attempts == 1:
                await self._notices.revert_failed(
                    toggle.slack_user_id,
                    message("Switchboard couldn't end your call forwarding: ", sentence),
                    toggle.id,
                )
            return
        if result == "changed":
            text = "Your forwarding was changed in the provider's app since Switchboard set it, so I left it as it is."
        else:
            text = "Your calls ring as usual again: the forwarding you set with Switchboard has ended."
        await self._notices.post(toggle.slack_user_id, text)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while True:
            try:
                with priority(Priority.BACKGROUND):  # people's requests come first
                    await self.tick()
            except Exception:
                log.exception("scheduler tick failed")
            await asyncio.sleep(self._tick_seconds)
