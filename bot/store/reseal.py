"""`switchboard db reseal`: every sealed value in the database sealed again with the current
SWITCHBOARD_SECRET_KEY (docs/deploy.md "Rotating SWITCHBOARD_SECRET_KEY").

The sealed columns: provider tokens (the administrator's and each person's own sign-in),
sign-ins in progress (PKCE verifiers) and the push subscription's verification token. A value
no given key opens is left as it is (it reads as missing, as before) and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.store.db import Database
from bot.store.live_models import PushSubscription
from bot.store.models import OAuthState, ProviderToken
from bot.store.sealed import SecretBox

SEALED_COLUMNS = (
    (ProviderToken, ("access_token", "refresh_token")),
    (OAuthState, ("verifier",)),
    (PushSubscription, ("verification_token",)),
)


@dataclass(frozen=True)
class Resealed:
    resealed: int
    unreadable: int


async def reseal_all(database: Database, box: SecretBox) -> Resealed:
    """In one transaction: all or nothing."""
    resealed = unreadable = 0
    async with database.session() as session:
        for model, columns in SEALED_COLUMNS:
            for row in (await session.scalars(select(model).with_for_update())).all():
                for column in columns:
                    stored = getattr(row, column)
                    if not stored:
                        continue
                    fresh = box.reseal(stored)
                    if fresh is None:
                        unreadable += 1
                    else:
                        setattr(row, column, fresh)
                        resealed += 1
    return Resealed(resealed, unreadable)
