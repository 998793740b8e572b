"""Provider tokens expiring or revoked mid-operation: renewed once, then success."""

from __future__ import annotations

from tests.helpers.harness import Harness
from tests.helpers.providers import emulators


async def test_expired_token_is_refreshed_once_mid_session(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    bot.rc.expire_access_tokens()  # the platform says 401 from now on
    reply = await bot.command("alice", "/forward", "list")
    assert "Mobile" in reply.text
    assert (bot.rc.jwt_logins, bot.rc.refreshes) == (1, 1)


async def test_revoked_session_logs_in_again_once(bot: Harness) -> None:
    await bot.command("alice", "/forward", "list")
    bot.rc.access_tokens.clear()  # an admin revoked the app's session in RingCentral
    bot.rc.refresh_tokens.clear()
    reply = await bot.command("alice", "/forward", "list")
    assert "Mobile" in reply.text
    assert bot.rc.jwt_logins == 2


async def test_voipnow_token_revoked_mid_session(bot: Harness) -> None:
    from tests.helpers.harness import user_id

    await bot.command("admin", "/switchboard", f"link <@{user_id('dave')}> voipnow:12/0003*210")
    app = emulators(bot.runtime).voipnow
    assert app is not None
    await bot.command("dave", "/transfer", "")  # the window lists calls: a token is issued
    assert app.emulator_state.token_grants == 1
    app.emulator_state.tokens.clear()  # revoked on the server
    reply = await bot.command("dave", "/transfer", "0003*024")
    assert "Transferred" in reply.text
    assert app.emulator_state.token_grants == 2
