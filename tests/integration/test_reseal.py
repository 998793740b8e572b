"""Changing SWITCHBOARD_SECRET_KEY without losing what it sealed, on SQLite and PostgreSQL:
`switchboard db reseal`, with the old key in SWITCHBOARD_PREVIOUS_SECRET_KEYS, seals every
stored secret (provider tokens, sign-ins in progress, the push verification token) with the
new key; what no key opens is left and counted (docs/deploy.md "Rotating SWITCHBOARD_SECRET_KEY")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import SecretStr
from sqlalchemy import select

from bot.store import Database, oauth_states
from bot.store import tokens as token_store
from bot.store.live_models import PushSubscription
from bot.store.migrate import upgrade
from bot.store.models import OAuthState
from bot.store.sealed import SecretBox
from bot.store.tokens import TokenPair
from tests.helpers.cli import run

NOW = datetime.now(UTC).replace(microsecond=0)
OLD, NEW, LOST = "o" * 40, "n" * 40, "l" * 40


def _pair(tag: str) -> TokenPair:
    return TokenPair(f"access-{tag}", f"refresh-{tag}", NOW, NOW + timedelta(days=7), "1")


async def test_reseal_moves_every_sealed_secret_to_the_new_key(database_url: str) -> None:
    database = Database(database_url)
    old, new = SecretBox(SecretStr(OLD)), SecretBox(SecretStr(NEW))
    try:
        await upgrade(database)
        async with database.session() as session:
            await token_store.write(session, account="rc:admin", pair=_pair("a"), now=NOW, box=old)
            await token_store.write(session, account="rc:user:U1", pair=_pair("b"), now=NOW, box=old)
            lost = SecretBox(SecretStr(LOST))  # a key nobody has any more
            await token_store.write(session, account="rc:user:U2", pair=_pair("c"), now=NOW, box=lost)
            session.add(
                PushSubscription(
                    name="calls",
                    subscription_id="sub-1",
                    verification_token=old.seal("verify-me"),
                    address="https://bot.example.com/ringcentral/webhook",
                    expires_at=NOW + timedelta(days=1),
                )
            )
        await oauth_states.begin(
            database,
            state="s1",
            slack_user_id="U3",
            verifier="pkce-verifier",
            expires_at=NOW + timedelta(minutes=10),
            now=NOW,
            box=old,
        )

        done = run(
            "db",
            "reseal",
            env={
                "DATABASE_URL": database_url,
                "SWITCHBOARD_SECRET_KEY": NEW,
                "SWITCHBOARD_PREVIOUS_SECRET_KEYS": f"{'x' * 32},{OLD}",
            },
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines() == [
            "6 stored secrets sealed with the current SWITCHBOARD_SECRET_KEY.",
            "2 could not be opened with SWITCHBOARD_SECRET_KEY or SWITCHBOARD_PREVIOUS_SECRET_KEYS "
            "and were left as they are (they read as missing: the administrator's token is "
            "obtained again, people run /switchboard connect again).",
        ]
        assert OLD not in done.stdout + done.stderr
        assert NEW not in done.stdout + done.stderr

        async with database.session() as session:
            assert await token_store.read(session, account="rc:admin", box=new) == _pair("a")
            assert await token_store.read(session, account="rc:user:U1", box=new) == _pair("b")
            assert await token_store.read(session, account="rc:admin", box=old) is None
            assert await token_store.read(session, account="rc:user:U2", box=new) is None
            push = await session.scalar(select(PushSubscription))
            state = await session.scalar(select(OAuthState))
        assert push is not None
        assert new.open(push.verification_token) == "verify-me"
        assert state is not None
        assert new.open(state.verifier) == "pkce-verifier"
        assert old.open(state.verifier) is None
    finally:
        await database.dispose()


def test_reseal_needs_the_new_key(sqlite_url: str) -> None:
    done = run("db", "reseal", env={"DATABASE_URL": sqlite_url, "SWITCHBOARD_PREVIOUS_SECRET_KEYS": OLD})
    assert done.returncode == 2
    assert done.stderr.strip() == "switchboard: set SWITCHBOARD_SECRET_KEY to the new key first."
