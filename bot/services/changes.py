"""The idempotency guard every mutation goes through (docs/design.md's one table)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from bot.errors import UserError
from bot.providers.errors import RateLimited, Rejected, Unavailable
from bot.store import Database, idempotency


@asynccontextmanager
async def claimed(
    database: Database, clock: Callable[[], datetime], *, key: str, action: str
) -> AsyncIterator[bool]:
    """Claim `action:key` before the provider call; yields False for a replay (do nothing).

    A change refused locally or by the provider, or never sent, frees the key again so the
    person may retry; a change that may have reached the provider keeps it.
    """
    scoped = f"{action}:{key}"
    if not await idempotency.claim(database, key=scoped, action=action, now=clock()):
        yield False
        return
    try:
        yield True
    except (UserError, Rejected, RateLimited) as exc:
        await idempotency.release(database, key=scoped)
        raise exc from None
    except Unavailable as exc:
        if not exc.sent:
            await idempotency.release(database, key=scoped)
        raise
