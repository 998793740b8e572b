"""Shared provider token pairs. Read and write them only inside `Database.locked()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import ProviderToken
from bot.store.sealed import PLAIN, SecretBox


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: datetime
    refresh_expires_at: datetime | None
    owner_id: str


async def read(
    session: AsyncSession, *, account: str, for_update: bool = False, box: SecretBox = PLAIN
) -> TokenPair | None:
    """The stored pair, opened with `box`; None when missing or not readable with this key."""
    query = select(ProviderToken).where(ProviderToken.account == account)
    if for_update:
        query = query.with_for_update()
    row = await session.scalar(query)
    if row is None:
        return None
    access, refresh = box.open(row.access_token), box.open(row.refresh_token)
    if access is None or refresh is None:
        return None
    return TokenPair(
        access_token=access,
        refresh_token=refresh,
        expires_at=row.expires_at,
        refresh_expires_at=row.refresh_expires_at,
        owner_id=row.owner_id,
    )


async def write(
    session: AsyncSession, *, account: str, pair: TokenPair, now: datetime, box: SecretBox = PLAIN
) -> None:
    row = await session.get(ProviderToken, account)
    if row is None:
        row = ProviderToken(account=account)
        session.add(row)
    row.access_token = box.seal(pair.access_token)
    row.refresh_token = box.seal(pair.refresh_token)
    row.expires_at = pair.expires_at
    row.refresh_expires_at = pair.refresh_expires_at
    row.owner_id = pair.owner_id
    row.updated_at = now


async def written_before(
    session: AsyncSession, *, prefix: str, before: datetime, limit: int
) -> list[str]:
    """Accounts under `prefix` whose pair was last written before `before`, oldest first."""
    query = (
        select(ProviderToken.account)
        .where(ProviderToken.account.startswith(prefix, autoescape=True))
        .where(ProviderToken.updated_at < before)
        .order_by(ProviderToken.updated_at)
        .limit(limit)
    )
    return list(await session.scalars(query))
