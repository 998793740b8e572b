"""Logging: text or one JSON object per line, request context on every record, secrets redacted."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from bot.context import command_var, request_id_var, slack_user_var
from bot.redact import redact


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.slack_user = slack_user_var.get()
        record.command = command_var.get()
        return True


class _CapFilter(logging.Filter):
    """Below WARNING, nothing from QUIET_LOGGERS reaches our handler, whatever their level.

    Setting a logger's level is not enough: anyone (a library, a debugging operator) can
    turn `sqlalchemy.engine` back to DEBUG, which prints result rows the redactor may not
    know yet (a token read from the store by a second instance).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not record.name.startswith(_QUIET_PREFIXES)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(slack_user)s] %(message)s"
        )

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "slack_user": getattr(record, "slack_user", "-"),
            "command": getattr(record, "command", "-"),
        }
        for key in ("duration_ms", "status"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str))


# Loggers that at DEBUG print what passes through them (SQL parameters and rows, HTTP
# headers and bodies) before the redactor could know a value is secret: capped at WARNING.
QUIET_LOGGERS = (
    "sqlalchemy",
    "aiosqlite",
    "psycopg",
    "alembic",
    "httpx",
    "httpcore",
    "hpack",
    "aiohttp",
    "websockets",
    "uvicorn.access",
    "asyncio",
)
_QUIET_PREFIXES = tuple(QUIET_LOGGERS)


def configure(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_CapFilter())
    handler.addFilter(_ContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for chatty in ("slack_sdk", "slack_bolt"):  # at DEBUG they print whole request bodies
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
