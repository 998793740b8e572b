"""`switchboard` command line: serve | socket | shell | manifest | check | db | emulator."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import socket
import sys
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from bot.gc_tuning import hold_collector

if TYPE_CHECKING:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.settings import Settings

# What a command needs (pydantic, SQLAlchemy, the app) is imported once the command is known,
# after `serve` has held the garbage collector (bot.gc_tuning): the imports are most of its start.

T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="switchboard", description="Control your phones from Slack.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser(
        "serve",
        help="serve Slack's HTTP requests",
        description="Serve /slack/events, /ringcentral/webhook, the sign-in pages, the on-call "
        "calendar feeds (/calendar/), /healthz, /readyz and /metrics over plain HTTP; put an HTTPS "
        "proxy in front (docs/deploy.md).",
    )
    serve.add_argument(
        "--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0: every interface)"
    )
    serve.add_argument(
        "--port", type=int, default=None, help="port to listen on (default: PORT, else 3000)"
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=os.environ.get("WEB_CONCURRENCY", "1"),  # a string: argparse checks it too
        help="processes answering on the port, each with its own event loop, sharing the "
        "database (default: WEB_CONCURRENCY, else 1)",
    )
    serve.add_argument("--fd", type=int, default=None, help=argparse.SUPPRESS)  # a worker's socket

    sub.add_parser("socket", help="run over Socket Mode (needs SLACK_APP_TOKEN)")

    shell = sub.add_parser("shell", help="the same app in your terminal")
    shell.add_argument("--as", dest="as_email", default=None, help="who types (an email)")
    shell.add_argument("--admin", action="store_true", help="give that user admin rights")

    manifest = sub.add_parser("manifest", help="print manifest.yaml")
    manifest.add_argument(
        "--url",
        default=None,
        help="public base URL, e.g. https://bot.example.com (https; plain http only for loopback)",
    )

    sub.add_parser("check", help="check configuration, database, Slack and providers")

    db = sub.add_parser(
        "db",
        help="database tools",
        description="upgrade: apply the migrations this version needs to DATABASE_URL (SQLite is "
        "upgraded at start; on PostgreSQL run it once per release, before starting the new version). "
        "reseal: after changing SWITCHBOARD_SECRET_KEY, with the old key in "
        "SWITCHBOARD_PREVIOUS_SECRET_KEYS and every instance stopped, seal the stored tokens again "
        "with the new key (docs/deploy.md).",
    )
    db.add_argument(
        "action",
        choices=["upgrade", "reseal"],
        help="upgrade: apply the pending migrations; reseal: seal stored tokens with the new key",
    )

    emulator = sub.add_parser("emulator", help="serve one provider emulator")
    emulator.add_argument(
        "provider", help="the provider whose emulator to serve (its name as configured)"
    )
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8900)
    emulator.add_argument("--latency", default="0s", help="added to every answer, e.g. 2s or 250ms")
    emulator.add_argument(
        "--rate-limits",
        action="store_true",
        help="RingCentral: enforce Light 50 / Medium 40 / Heavy 10 / Auth 5 per token per minute",
    )
    emulator.add_argument(
        "--fail", action="append", default=[], help="fault, e.g. 'POST /forwarding-number=503'"
    )
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def _quiet_orphaned_sqlite_threads(args: threading.ExceptHookArgs) -> None:
    """aiosqlite's worker thread of a connection that failed to open may still try to hand
    its error to a loop that is gone; the failure itself was already said in one line."""
    if "_connection_worker_thread" in str(args.thread.name if args.thread else "") and (
        args.exc_type is RuntimeError and "Event loop is closed" in str(args.exc_value)
    ):
        return
    threading.__excepthook__(args)


def main(argv: Sequence[str] | None = None) -> int:
    threading.excepthook = _quiet_orphaned_sqlite_threads
    args = _parser().parse_args(argv)
    if args.command == "serve":  # settled once the app is built (bot.web.serve)
        hold_collector()
    from sqlalchemy.exc import SQLAlchemyError

    from bot.settings import ConfigError, load_settings
    from bot.store.migrate import DatabaseBehind

    try:
        settings = load_settings()
        runner = _COMMANDS[args.command]
        return runner(settings, args)
    except ConfigError as exc:
        print(f"switchboard: configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseBehind as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"switchboard: {database_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def database_problem(exc: SQLAlchemyError) -> str:
    """One line for a store that can't be reached or written (never the password)."""
    from sqlalchemy.engine import make_url

    from bot.settings import load_settings

    cause = str(getattr(exc, "orig", None) or type(exc).__name__).strip().splitlines()[0]
    try:
        where = make_url(load_settings().database_url).render_as_string(hide_password=True)
    except Exception:
        where = "DATABASE_URL"
    return (
        f"the database ({where}) can't be used: {cause[:200]}. Check DATABASE_URL, that the "
        "server is running, and that a SQLite file's folder exists and is writable."
    )


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run a long-lived server on uvloop when it is installed (it halves the loop's cost)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux and macOS
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    port = args.port or settings.port
    if args.workers > 1 and args.fd is None:
        from bot.web.workers import run_workers

        gc.enable()  # this process only watches its workers (each holds and settles its own)

        return run_workers(settings, host=args.host, port=port, count=args.workers)
    from bot.web.serve import serve

    sock = socket.socket(fileno=args.fd) if args.fd is not None else None
    return run_loop(serve(settings, host=args.host, port=port, sock=sock))


def _socket(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.web.socket_mode import run_socket_mode

    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    return run_loop(run_socket_mode(settings))


def _shell(settings: Settings, args: argparse.Namespace) -> int:
    from bot.devkit.shell.main import run_shell

    return asyncio.run(run_shell(settings, as_email=args.as_email, admin=args.admin))


def _manifest(_settings: Settings, args: argparse.Namespace) -> int:
    from bot.manifest import render_manifest

    try:
        sys.stdout.write(render_manifest(args.url))
    except ValueError as exc:
        print(f"switchboard: {exc}", file=sys.stderr)
        return 2
    return 0


def _check(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.check import run_checks

    return asyncio.run(run_checks(settings))


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.store import Database
    from bot.store.migrate import current_revision, upgrade

    if args.action == "reseal":
        return _reseal(settings)

    async def go() -> int:
        database = Database(settings.database_url)
        try:
            await upgrade(database)
            print(f"database at revision {await current_revision(database)}")
        finally:
            await database.dispose()
        return 0

    return asyncio.run(go())


def _reseal(settings: Settings) -> int:
    from bot.store import Database
    from bot.store.migrate import require_current
    from bot.store.reseal import reseal_all
    from bot.store.sealed import SecretBox

    if settings.switchboard_secret_key is None:
        print("switchboard: set SWITCHBOARD_SECRET_KEY to the new key first.", file=sys.stderr)
        return 2
    box = SecretBox(settings.switchboard_secret_key, settings.previous_secret_keys)

    async def go() -> int:
        database = Database(settings.database_url)
        try:
            await require_current(database)
            done = await reseal_all(database, box)
        finally:
            await database.dispose()
        print(f"{done.resealed} stored secrets sealed with the current SWITCHBOARD_SECRET_KEY.")
        if done.unreadable:
            print(
                f"{done.unreadable} could not be opened with SWITCHBOARD_SECRET_KEY or "
                "SWITCHBOARD_PREVIOUS_SECRET_KEYS and were left as they are (they read as missing: "
                "the administrator's token is obtained again, people run /switchboard connect again)."
            )
        return 0

    return asyncio.run(go())


def _emulator(_settings: Settings, args: argparse.Namespace) -> int:
    from bot.devkit.emulator_cli import serve_emulator

    return serve_emulator(
        args.provider,
        host=args.host,
        port=args.port,
        latency=args.latency,
        faults=args.fail,
        rate_limits=args.rate_limits,
    )


_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "serve": _serve,
    "socket": _socket,
    "shell": _shell,
    "manifest": _manifest,
    "check": _check,
    "db": _db,
    "emulator": _emulator,
}
