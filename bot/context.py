"""Per-request context (request id, Slack user, command) carried into logs and tasks."""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
slack_user_var: contextvars.ContextVar[str] = contextvars.ContextVar("slack_user", default="-")
command_var: contextvars.ContextVar[str] = contextvars.ContextVar("command", default="-")
# Set by the runner of background work (bot.tasks): a wait for a provider's rate budget
# (bot.providers.limiter) runs inside it, stepping aside from the work's slot meanwhile.
rate_wait_aside: contextvars.ContextVar[Callable[[], AbstractAsyncContextManager[None]] | None] = (
    contextvars.ContextVar("rate_wait_aside", default=None)
)


def new_request_id() -> str:
    return secrets.token_hex(3)


def current_request_id() -> str:
    value = request_id_var.get()
    if value == "-":
        value = new_request_id()
        request_id_var.set(value)
    return value
