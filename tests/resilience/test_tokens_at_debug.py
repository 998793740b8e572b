"""RingCentral tokens never printed at DEBUG, with every logger turned on, text and JSON, and
sealed in the store when SWITCHBOARD_SECRET_KEY is set."""

from __future__ import annotations

import io
import logging
import secrets

import pytest
from sqlalchemy import text

from bot import logs, redact
from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.harness import start_configured

KEY = "canary-key-" + "k" * 32


def forget_registered_secrets() -> None:
    redact.forget()


@pytest.mark.parametrize(("fmt", "key"), [("text", None), ("json", None), ("text", KEY)])
async def test_tokens_stay_out_of_debug_logs_on_two_instances(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str], fmt: str, key: str | None
) -> None:
    app, url = platform
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    client_id = "client-" + secrets.token_hex(3)
    try:
        logs.configure("DEBUG", fmt)
        root.handlers[0].stream = stream  # type: ignore[attr-defined]
        for name in list(logging.root.manager.loggerDict):  # every logger on, caps included
            logging.getLogger(name).setLevel(logging.DEBUG)
        for _ in range(2):  # the second instance reads the pair the first one stored
            forget_registered_secrets()  # as in a fresh process: the redactor knows nothing yet
            bot = await start_configured(
                sqlite_url, url, client_id=client_id, switchboard_secret_key=key
            )
            try:
                reply = await bot.command("alice", "/forward", "list")
                assert "Mobile" in reply.text
            finally:
                await bot.close()
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name in list(logging.root.manager.loggerDict):
            logging.getLogger(name).setLevel(logging.NOTSET)
    state = app.emulator_state
    issued = [*state.access_tokens, *state.refresh_tokens]
    assert issued
    printed = stream.getvalue()
    for token in issued:
        assert token not in printed
    assert KEY not in printed
    assert "DEBUG" in printed  # it really ran at DEBUG


async def test_tokens_are_stored_sealed(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    bot = await start_configured(
        sqlite_url, url, client_id="c-" + secrets.token_hex(3), switchboard_secret_key=KEY
    )
    try:
        await bot.command("alice", "/forward", "list")
        async with bot.runtime.database.session() as session:
            rows = (
                await session.execute(text("SELECT access_token, refresh_token FROM provider_tokens"))
            ).all()
    finally:
        await bot.close()
    assert rows
    stored = " ".join(v for row in rows for v in row)
    for token in [*app.emulator_state.access_tokens, *app.emulator_state.refresh_tokens]:
        assert token not in stored
    assert stored.startswith("fernet:")
