"""`/switchboard connect` states: single use, bound to one Slack user, ten minutes, and to
the browser that opened the link.

Only hashes are stored: of the state (which travels in the link) and of the cookie the
start page gave the browser; the PKCE verifier is sealed like the tokens.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Update, delete, update

from bot.store.db import Database
from bot.store.models import OAuthState
from bot.store.sealed import PLAIN, SecretBox


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    slack_user_id: str
    verifier: str
    browser_hash: str | None = None  # the cookie's hash; None when no browser opened the link


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _still_usable(key: str, now: datetime) -> Update:
    """An update of the sign-in whose state hashes to `key`, if not used yet nor expired."""
    return (
        update(OAuthState)
        .where(OAuthState.state_hash == key)
        .where(OAuthState.used_at.is_(None))
        .where(OAuthState.expires_at > now)
    )


async def begin(
    database: Database,
    *,
    state: str,
    slack_user_id: str,
    verifier: str,
    expires_at: datetime,
    now: datetime,
    box: SecretBox = PLAIN,
) -> None:
    async with database.session() as session:
        await session.execute(delete(OAuthState).where(OAuthState.expires_at < now))
        session.add(
            OAuthState(
                state_hash=digest(state),
                slack_user_id=slack_user_id,
                verifier=box.seal(verifier),
                expires_at=expires_at,
            )
        )


async def bind_browser(
    database: Database,
    *,
    state: str,
    browser_hash: str,
    previous_hash: str | None,
    now: datetime,
    box: SecretBox = PLAIN,
) -> str | None:
    """Bind an open sign-in to a browser; returns its PKCE verifier, or None.

    A sign-in is bound once: a browser that opens the link again gets it only when it
    brings the cookie the sign-in is bound to (`previous_hash`); it is then bound anew.
    """
    key = digest(state)
    free = OAuthState.browser_hash.is_(None)
    same = OAuthState.browser_hash == previous_hash if previous_hash else None
    async with database.session() as session:
        bound = await session.execute(
            _still_usable(key, now)
            .where(free if same is None else free | same)
            .values(browser_hash=browser_hash)
        )
        if not bound.rowcount:  # type: ignore[attr-defined]
            return None
        row = await session.get(OAuthState, key)
        assert row is not None
        return box.open(row.verifier)


async def consume(
    database: Database, *, state: str, now: datetime, box: SecretBox = PLAIN
) -> PendingSignIn | None:
    """The sign-in the state started, once: a replayed, unknown or expired state gets None."""
    key = digest(state)
    async with database.session() as session:
        used = await session.execute(_still_usable(key, now).values(used_at=now))
        if not used.rowcount:  # type: ignore[attr-defined]
            return None
        row = await session.get(OAuthState, key)
        assert row is not None
        verifier = box.open(row.verifier)
        if verifier is None:
            return None
        return PendingSignIn(row.slack_user_id, verifier, row.browser_hash)
