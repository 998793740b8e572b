"""The trust migration and store rules, on SQLite and PostgreSQL: duplicates are reported to
admins instead of failing the upgrade; a line belongs to one user; tokens sealed at rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.store import Database
from bot.store import links as link_store
from bot.store import notices as notice_store
from bot.store import tokens as token_store
from bot.store.links import LinkRecord
from bot.store.migrate import upgrade
from bot.store.sealed import SecretBox
from bot.store.tokens import TokenPair

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
KEY = SecretStr("k" * 40)


async def test_duplicate_links_are_resolved_and_reported(database_url: str) -> None:
    database = Database(database_url)
    try:
        await upgrade(database, "0003")
        async with database.session() as session:
            for user, source in (("UEMAIL1", "email"), ("UADMIN1", "admin"), ("UEMAIL2", "email")):
                await session.execute(
                    text(
                        "INSERT INTO links (slack_user_id, provider, line_id, extension_number,"
                        " display_name, source, created_at) VALUES (:u, 'ringcentral', '42', '102',"
                        " 'Alice', :s, :at)"
                    ),
                    {"u": user, "s": source, "at": NOW},
                )
        await upgrade(database)
        async with database.session() as session:
            holder = await link_store.holder_of(session, provider="ringcentral", line_id="42")
        assert holder == "UADMIN1"  # an admin's link wins over email links
        sent = await notice_store.claim_unsent(database, now=NOW)
        assert len(sent) == 2
        assert all("<@UADMIN1>" in t and "replace" in t for t in sent)
        assert await notice_store.claim_unsent(database, now=NOW) == []  # once
    finally:
        await database.dispose()


async def test_a_line_belongs_to_one_user(database_url: str) -> None:
    database = Database(database_url)
    try:
        await upgrade(database)
        link = LinkRecord("UONE", RINGCENTRAL, "42", "102", "Alice", "email", "a@x")
        async with database.session() as session:
            await link_store.save_link(session, link=link, now=NOW, replace=False)
        with pytest.raises(IntegrityError):
            async with database.session() as session:
                await link_store.save_link(
                    session,
                    link=LinkRecord("UTWO", RINGCENTRAL, "42", "102", "Alice", "admin"),
                    now=NOW,
                    replace=True,
                )
    finally:
        await database.dispose()


async def test_tokens_are_sealed_at_rest_and_a_changed_key_reads_as_missing(database_url: str) -> None:
    database = Database(database_url)
    try:
        await upgrade(database)
        pair = TokenPair(
            "access-canary-123456", "refresh-canary-654321", NOW, NOW + timedelta(days=7), "1"
        )
        box = SecretBox(KEY)
        async with database.session() as session:
            await token_store.write(session, account="rc:x", pair=pair, now=NOW, box=box)
        async with database.session() as session:
            raw = (
                await session.execute(text("SELECT access_token, refresh_token FROM provider_tokens"))
            ).one()
            assert all(v.startswith("fernet:") and "canary" not in v for v in raw)
            assert await token_store.read(session, account="rc:x", box=box) == pair
            other = SecretBox(SecretStr("z" * 40))
            assert await token_store.read(session, account="rc:x", box=other) is None
    finally:
        await database.dispose()


async def test_a_sign_in_is_bound_to_one_browser_and_pairs_are_found_by_age(
    database_url: str,
) -> None:
    """Issue 24, on both stores: the start page binds once (again only with the same cookie),
    only hashes are kept, and the keep-alive finds people's pairs by when they were written."""
    from bot.store import oauth_states

    database = Database(database_url)
    try:
        await upgrade(database)
        box = SecretBox(KEY)
        later = NOW + timedelta(minutes=11)
        await oauth_states.begin(
            database, state="s1", slack_user_id="U1", verifier="v1", expires_at=later, now=NOW, box=box
        )
        first, second = oauth_states.digest("browser-1"), oauth_states.digest("browser-2")
        bind = oauth_states.bind_browser
        assert (
            await bind(database, state="s1", browser_hash=first, previous_hash=None, now=NOW, box=box)
            == "v1"
        )
        assert (
            await bind(database, state="s1", browser_hash=second, previous_hash=None, now=NOW, box=box)
            is None
        )
        again = await bind(
            database, state="s1", browser_hash=second, previous_hash=first, now=NOW, box=box
        )
        assert again == "v1"  # the same browser, reopening the link: bound to its new cookie
        assert (
            await bind(database, state="nope", browser_hash=first, previous_hash=None, now=NOW, box=box)
            is None
        )
        pending = await oauth_states.consume(database, state="s1", now=NOW, box=box)
        assert pending == oauth_states.PendingSignIn("U1", "v1", second)
        assert await oauth_states.consume(database, state="s1", now=NOW, box=box) is None
        assert (
            await bind(database, state="s1", browser_hash=first, previous_hash=second, now=NOW, box=box)
            is None
        )

        pair = TokenPair("a", "r", NOW + timedelta(hours=1), NOW + timedelta(days=7), "102")
        async with database.session() as session:
            for account, written in (
                ("ringcentral-user:U_OLD", NOW - timedelta(hours=30)),
                ("ringcentral-user:U_NEW", NOW),
                ("ringcentral:admin-app", NOW - timedelta(days=3)),
                ("ringcentral-user%:U_LIKE", NOW - timedelta(days=3)),
            ):
                await token_store.write(session, account=account, pair=pair, now=written, box=box)
        async with database.session() as session:
            due = await token_store.written_before(
                session, prefix="ringcentral-user:", before=NOW - timedelta(hours=20), limit=10
            )
        assert due == ["ringcentral-user:U_OLD"]
    finally:
        await database.dispose()
