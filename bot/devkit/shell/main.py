"""`switchboard shell`: start the stand-in, the runtime and the app; read lines; print replies."""

from __future__ import annotations

import asyncio
import secrets
import sys
import tempfile
from pathlib import Path
from typing import TextIO

import httpx

from bot import logs
from bot.devkit.shell import payloads
from bot.devkit.shell.session import BOT_URL, HINT, ShellSession
from bot.devkit.shell.standin import Channel, SlackStandIn, SlackUser, slack_id_for
from bot.lifecycle import running
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web.asgi import build_asgi

DEFAULT_EMULATOR_USER = "alice@example.com"


async def run_shell(
    settings: Settings,
    *,
    as_email: str | None,
    admin: bool,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    logs.configure("ERROR" if settings.log_level == "INFO" else settings.log_level, settings.log_format)
    return await shell(settings, as_email=as_email, admin=admin, stdin=stdin, stdout=stdout)


async def shell(
    settings: Settings, *, as_email: str | None, admin: bool, stdin: TextIO, stdout: TextIO
) -> int:
    """One shell run (what `switchboard shell` does once logging is set up).

    Against the built-in emulator the shell starts a whole new world each run: the emulator
    is seeded anew, so the database is a fresh one too (a kept one would describe links,
    forwards and calls of a company that no longer exists). DATABASE_URL, when set, is used
    as asked (the emulator still starts anew).
    """
    fresh = settings.uses_emulator and "database_url" not in settings.model_fields_set
    # An emulator that enforces no rate limit has no minute to share out: one person trying
    # every command in a row is what a demo is (SWITCHBOARD_PERSON_SHARE, or the emulator's
    # limits, still apply when asked for).
    unlimited = settings.uses_emulator and not settings.switchboard_emulator_rate_limits
    if unlimited and "switchboard_person_share" not in settings.model_fields_set:
        settings = settings.model_copy(update={"switchboard_person_share": 1.0})
    with tempfile.TemporaryDirectory(prefix="switchboard-shell-") as folder:
        if fresh:
            database = f"sqlite:///{Path(folder) / 'shell.db'}"
            settings = settings.model_copy(update={"database_url": database})
        standin = SlackStandIn()
        await standin.start()
        try:
            async with running(
                settings.model_copy(update={"slack_api_url": standin.api_url}),
                bot_token="xoxb-shell-" + secrets.token_hex(8),
            ) as runtime:
                return await _session(runtime, standin, as_email, admin, stdin, stdout, fresh=fresh)
        finally:
            await standin.stop()


async def _session(
    runtime: Runtime,
    standin: SlackStandIn,
    as_email: str | None,
    admin: bool,
    stdin: TextIO,
    stdout: TextIO,
    *,
    fresh: bool,
) -> int:
    def write(text: str) -> None:
        stdout.write(text + "\n")
        stdout.flush()

    await load_directory(runtime, standin)
    email = as_email or (DEFAULT_EMULATOR_USER if runtime.settings.uses_emulator else None)
    user = standin.user_by_email(email) if email else None
    if user is None:
        write(
            f"shell: {email or 'nobody'} is not in the provider directory; pick someone with --as EMAIL."
        )
        return 2
    if admin:
        runtime.admins.add(user.id)
    if runtime.settings.uses_emulator:
        write(
            "Switchboard shell, against the built-in provider EMULATOR (no real phones)"
            + (
                ", on a fresh database."
                if fresh
                else "; the emulator starts anew, DATABASE_URL is kept."
            )
        )
    write(f"You are {user.real_name} <{user.email}>{' (admin)' if admin else ''}. {HINT}")

    interactive = stdin.isatty()

    async def read(prompt: str) -> str | None:
        stdout.write(prompt)
        stdout.flush()
        line = await asyncio.get_running_loop().run_in_executor(None, stdin.readline)
        if not line:
            stdout.write("\n")
            return None
        if not interactive:
            stdout.write(line if line.endswith("\n") else line + "\n")
        return line

    secret = secrets.token_hex(16)
    app = build_asgi(runtime, signing_secret=secret)
    if not runtime.sign_in.public_url:
        runtime.sign_in.public_url = BOT_URL  # the shell's browser reaches the callback in-process
    emulators = runtime.providers.emulators
    emulator = emulators.ringcentral if emulators else None
    if emulator is not None and not runtime.push.public_url:
        emulator.pusher.transport = httpx.ASGITransport(app=app)  # pushes reach the bot in-process
        runtime.push.public_url = BOT_URL
        await runtime.push.ensure()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BOT_URL) as http:
        session = ShellSession(
            runtime=runtime, standin=standin, http=http, secret=secret, user=user, read=read, write=write
        )
        while (line := await read(session.prompt)) is not None:
            try:
                if not await session.handle(line):
                    break
            except Exception as exc:  # keep the shell alive, say what failed
                write(f"shell: {type(exc).__name__}: {exc}")
    return 0


async def load_directory(runtime: Runtime, standin: SlackStandIn) -> None:
    """The shell's Slack directory is the provider directory, each with a stable Slack id."""
    standin.add_channel(Channel(payloads.SHELL_CHANNEL, "shell"))  # where lines are typed
    directory = runtime.providers.directory
    people = [(p.email, p.name, p.timezone) for p in await directory.list_people()] if directory else []
    emulators = runtime.providers.emulators
    voipnow = emulators.voipnow if emulators else None  # no directory; its emulator knows its people
    if voipnow is not None:
        people += [(e.email, e.name, None) for e in voipnow.emulator_state.extensions.values()]
    # RingCentral's extension list carries no time zones; the built-in emulator knows them.
    rc = emulators.ringcentral if emulators else None
    zones = {e.email: e.timezone for e in rc.emulator_state.extensions.values()} if rc else {}
    for email, name, timezone in people:
        standin.add_user(
            SlackUser(
                id=slack_id_for(email),
                name=email.split("@")[0],
                real_name=name,
                email=email,
                tz=timezone or zones.get(email) or "America/Los_Angeles",
            )
        )
