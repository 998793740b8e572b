"""`switchboard serve`: the ASGI app under uvicorn."""

from __future__ import annotations

import logging
import socket
from typing import Any

import uvicorn

from bot import logs
from bot.gc_tuning import settle_garbage_collector
from bot.lifecycle import running
from bot.settings import Settings
from bot.web import protocol
from bot.web.asgi import build_asgi
from bot.web.workers import BACKLOG

log = logging.getLogger(__name__)

# uvicorn's limits, set deliberately rather than inherited (docs/contract.md "Limits at the front",
# "Fair shares and a hardened front"); the body cap itself (512 KiB, 413) is the HTTP
# front's, where it is enforced per request. Heads (16 KiB, 431), the 10 s to send a head
# and a body, and the cap on idle connections are `bot.web.protocol`'s, whichever parser.
SERVER_LIMITS: dict[str, Any] = {
    # No `limit_concurrency`: it counts idle connections and answers 503 to everyone past
    # it, so 1,000 idle connections refused /healthz and Slack (bot.web.protocol says how
    # idle connections are bounded instead).
    "limit_concurrency": None,
    "backlog": BACKLOG,
    "timeout_keep_alive": 5,  # idle keep-alive connections closed after 5 s
    "timeout_graceful_shutdown": 10,  # in-flight requests get 10 s at shutdown
    # Above the 16 KiB that bot.web.protocol enforces first, so h11 never answers 400 for it.
    "h11_max_incomplete_event_size": 2 * protocol.MAX_HEAD_BYTES,
    "server_header": False,
    "date_header": True,
    "ws": "none",  # no WebSocket route: not loading a WebSocket library saves ~15 ms of start-up
}
MAX_OPEN_FILES = 65536


def raise_open_files_limit() -> None:
    """Allow as many sockets as the hard limit lets us (many systems start at a soft 1,024)."""
    try:
        import resource
    except ImportError:  # not on this platform
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_OPEN_FILES if hard == resource.RLIM_INFINITY else min(hard, MAX_OPEN_FILES)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def serve(settings: Settings, *, host: str, port: int, sock: socket.socket | None = None) -> int:
    """Serve until SIGTERM/SIGINT; on `sock` when given (a worker of `bot.web.workers`)."""
    logs.configure(settings.log_level, settings.log_format)
    assert settings.slack_signing_secret is not None
    async with running(settings) as runtime:
        app = build_asgi(runtime, signing_secret=settings.slack_signing_secret.get_secret_value())
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            http=protocol.protocol_class(),
            log_config=None,
            access_log=False,
            lifespan="on",
            **SERVER_LIMITS,
        )
        log.info("Switchboard listening on http://%s:%d/slack/events", host, port)
        settle_garbage_collector()
        raise_open_files_limit()
        await uvicorn.Server(config).serve(sockets=[sock] if sock is not None else None)
    return 0
