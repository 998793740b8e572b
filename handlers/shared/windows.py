"""Windows (modals) open at once, then fill in: Slack's rule for a `trigger_id`.

A `trigger_id` opens one view, within 3 s of the interaction that carried it; later Slack
answers `expired_trigger_id`, a second use `exchanged_trigger_id`
(https://api.slack.com/docs/triggers, https://docs.slack.dev/reference/methods/views.open).
So every window opens from the listener itself, right after the ack, with a loading view:
never after a provider call, and never from the background line (which may be waiting
for a slot). What the provider answers arrives by `views.update`, which needs no trigger;
if the work can't run or fails, the window says so in one sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from bot.slack.blocks import View
from bot.slack.errors import error_code
from handlers.shared import Tell
from handlers.shared.background import in_window, run_after_ack

log = logging.getLogger(__name__)

# Slack's codes for a trigger that can no longer open a view (the views.* methods, and the
# older names on https://api.slack.com/docs/triggers).
LATE = frozenset({"expired_trigger_id", "trigger_expired"})
USED = frozenset({"exchanged_trigger_id", "trigger_exchanged"})
TOO_LATE = "Slack closed that window before it could open; please try again."
NOT_OPENED = "Slack couldn't open that window; please try again."


async def open_window(
    runtime: Runtime, trigger_id: str, view: View, *, user: str, tell: Tell | None = None
) -> str | None:
    """`views.open` now (call it in the listener, after `ack`); the view id, or None.

    On a refusal the person is told in one sentence (through `tell(text)` when given, else
    a DM), except for a trigger already exchanged: that interaction's window is open.
    """
    try:
        opened = await runtime.slack.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        code = error_code(exc)
        log.warning("views.open refused: %s", code)
        if code in USED:
            return None  # the same interaction delivered again: its window is already open
        sentence = TOO_LATE if code in LATE else NOT_OPENED
        if tell is not None:
            await tell(sentence)
        else:
            await runtime.notify(user, sentence)
        return None
    return str(opened["view"]["id"])


def fill_window(
    runtime: Runtime,
    view_id: str,
    work: Coroutine[Any, Any, Any],
    failed: Callable[[str], View],
) -> None:
    """Run `work` (which `views.update`s the window) in the background line; when it can't
    run or fails, the window shows `failed(sentence)` instead of loading for ever."""

    run_after_ack(runtime, work, tell=in_window(runtime, view_id, failed))


async def open_then_fill(
    runtime: Runtime,
    trigger_id: str,
    loading: View,
    *,
    user: str,
    work: Callable[[str], Coroutine[Any, Any, Any]],
    failed: Callable[[str], View],
    tell: Tell | None = None,
) -> None:
    """`open_window` with the `loading` view now, then `fill_window` with `work(view_id)`;
    nothing more when the window didn't open (the person was told)."""
    view_id = await open_window(runtime, trigger_id, loading, user=user, tell=tell)
    if view_id is not None:
        fill_window(runtime, view_id, work(view_id), failed)
