"""`/switchboard connect` states: single use, bound to one Slack user, ten minutes.

Only a hash of the state is stored (the state itself travels in the link), and the PKCE
verifier is sealed like the tokens.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update

from bot.store.db import Database
from bot.store.models import OAuthState
from bot.store.sealed import PLAIN, SecretBox


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    slack_user_id: str
    verifier: str


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


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
                state_hash=_hash(state),
                slack_user_id=slack_user_id,
                verifier=box.seal(verifier),
                expires_at=expires_at,
            )
        )


async def consume(
    database: Database, *, state: str, now: datetime, box: SecretBox = PLAIN
) -> PendingSignIn | None:
    """The sign-in the state started, once: a replayed, unknown or expired state gets None."""
    key = _hash(state)
    async with database.session() as session:
        used = await session.execute(
            update(OAuthState)
            .where(OAuthState.state_hash == key)
            .where(OAuthState.used_at.is_(None))
            .where(OAuthState.expires_at > now)
            .values(used_at=now)
        )
        if not used.rowcount:  # type: ignore[attr-defined]
            return None
        row = await session.get(OAuthState, key)
        assert row is not None
        verifier = box.open(row.verifier)
        return PendingSignIn(row.slack_user_id, verifier) if verifier is not None else None
