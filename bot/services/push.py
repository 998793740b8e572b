"""The deployment's one push subscription (the provider with Capability.PUSH), kept alive across instances.

At every scheduler tick an instance takes the store's named lock and looks at the one row:
none yet → create (the provider may check our webhook first); expiring within RENEW_AHEAD →
renew; every CHECK_EVERY → read it back, and a 404 or an inactive one → create it again. An
instance that starts while a live one exists reuses it. The verification token (sealed
like the tokens) is what the provider's webhook path checks every notification against.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.providers.errors import NotFound, ProviderError
from bot.providers.push import PushSubscriptions
from bot.store import Database
from bot.store.live_models import PushSubscription
from bot.store.sealed import PLAIN, SecretBox

log = logging.getLogger(__name__)

# 7 days. A WebHook subscription may live up to 315,360,000 s (10 years, the OpenAPI
# description's UpdateSubscriptionRequest); a week, renewed a day ahead and read back every
# CHECK_EVERY, keeps a blacklisted or lost subscription from going unnoticed for long.
EXPIRES_IN = 604_800
RENEW_AHEAD = timedelta(days=1)
CHECK_EVERY = timedelta(minutes=10)


class PushKeeper:
    def __init__(
        self,
        *,
        database: Database,
        push: PushSubscriptions | None,
        public_url: str | None,
        clock: Callable[[], datetime],
        box: SecretBox = PLAIN,
        expires_in: int = EXPIRES_IN,
        renew_ahead: timedelta = RENEW_AHEAD,
    ) -> None:
        self._database = database
        self._push = push
        self._name = push.provider.value if push else ""  # the subscription's row: its provider
        self._clock = clock
        self._box = box
        self.public_url = (public_url or "").rstrip("/")
        self.expires_in = expires_in
        self.renew_ahead = renew_ahead
        self._token: str | None = None
        self._checked_at: datetime | None = None
        self._lock = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        """Push needs a provider with push and a public URL (Socket Mode deployments poll instead)."""
        return self._push is not None and bool(self.public_url)

    @property
    def address(self) -> str:
        return f"{self.public_url}{self._push.webhook_path if self._push else ''}"

    async def ensure(self) -> str:
        """Create, reuse, renew or recreate the subscription; returns what was done."""
        if not self.enabled:
            return "disabled"
        now = self._clock()
        async with self._mutex():
            async with self._database.session() as session:
                row = await session.get(PushSubscription, self._name)
                known = _Known.of(row, self._box) if row is not None else None
            if known is None or known.address != self.address:
                done, known = "created", await self._create()
            elif known.expires_at - now <= self.renew_ahead:
                done, known = await self._renew(known)
            elif self._checked_at is None or now - self._checked_at >= CHECK_EVERY:
                done, known = await self._check(known)
            else:
                done = "kept"
            if done != "kept":
                await self._save(known)
            self._token = known.token
        self._checked_at = now
        if done != "kept":
            log.info("push subscription %s", done)
        return done

    @asynccontextmanager
    async def _mutex(self) -> AsyncIterator[None]:
        """One instance at a time (PostgreSQL: the store's named lock, held in a session of
        its own; SQLite is one instance, and BEGIN IMMEDIATE would block the token refresh
        that creating a subscription may need)."""
        async with self._lock:
            if self._database.is_sqlite:
                yield
                return
            async with self._database.locked(f"push:{self._name}"):
                yield

    async def _save(self, known: _Known) -> None:
        # A write after a read: BEGIN IMMEDIATE on SQLite (WAL refuses to upgrade a stale read).
        async with self._database.locked(f"push-row:{self._name}") as session:
            row = await session.get(PushSubscription, self._name)
            if row is None:
                row = PushSubscription(name=self._name)
                session.add(row)
            row.subscription_id, row.address = known.subscription_id, known.address
            row.verification_token = self._box.seal(known.token)
            row.expires_at = known.expires_at

    async def verified(self, token: str | None) -> bool:
        """Is this the `Verification-Token` of our subscription?"""
        if not token:
            return False
        if self._token is None:
            async with self._database.session() as session:
                row = await session.get(PushSubscription, self._name)
                self._token = self._box.open(row.verification_token) if row is not None else None
        return self._token is not None and hmac.compare_digest(token, self._token)

    async def _create(self) -> _Known:
        assert self._push is not None
        token = secrets.token_urlsafe(32)
        info = await self._push.create(address=self.address, token=token, expires_in=self.expires_in)
        return _Known(info.id, token, self.address, info.expires_at)

    async def _renew(self, known: _Known) -> tuple[str, _Known]:
        assert self._push is not None
        try:
            info = await self._push.renew(known.subscription_id)
        except NotFound:
            return "recreated", await self._create()
        return "renewed", replace(known, expires_at=info.expires_at)

    async def _check(self, known: _Known) -> tuple[str, _Known]:
        assert self._push is not None
        try:
            info = await self._push.read(known.subscription_id)
        except NotFound:
            return "recreated", await self._create()
        except ProviderError as exc:
            log.warning("push subscription: check failed (%s)", type(exc).__name__)
            return "kept", known
        if not info.active:
            return "recreated", await self._create()
        return "kept", known


@dataclass(frozen=True)
class _Known:
    subscription_id: str
    token: str
    address: str
    expires_at: datetime

    @classmethod
    def of(cls, row: PushSubscription, box: SecretBox) -> _Known | None:
        token = box.open(row.verification_token)
        if token is None:
            return None
        return cls(row.subscription_id, token, row.address, row.expires_at)
