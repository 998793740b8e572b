"""Work after the ack, in the background line: if it fails or can't start, the person who
asked is always told why in one sentence (docs/contract.md), where they asked.

`run_after_ack(runtime, work, tell=...)` is the one way a listener starts background work;
`tell` says where the sentence goes: the command's reply (`reply_with`), the window the
person is in (`in_window`), their App Home (`on_home`), a DM (`by_dm`) or the channel the
press came from (`in_channel`). Only an event nobody asked for (a profile Slack pushes) has
no one to tell (`bot.tasks.Nobody`, saying why): its failure is logged, as every failure is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from bot.runtime import Runtime
from bot.slack.blocks import View, home, section
from bot.slack.respond import Respond
from bot.tasks import Nobody
from handlers.shared import PROGRESS, PROGRESS_AFTER_SECONDS, Tell, reply_with


def run_after_ack(runtime: Runtime, work: Coroutine[Any, Any, Any], *, tell: Tell | Nobody) -> bool:
    """`work` in the background line; its failure (or a refusal to start it) reaches the
    person through `tell`, in one sentence. False when refused (`work` never runs)."""
    return runtime.tasks.spawn(work, tell=tell)


def in_background(runtime: Runtime, respond: Respond, work: Coroutine[Any, Any, Any]) -> None:
    """A command's work after its ack, answered through `respond`; when the answer takes
    longer than PROGRESS_AFTER_SECONDS, a progress line comes first."""

    async def later() -> None:
        await asyncio.sleep(PROGRESS_AFTER_SECONDS)
        await respond.progress(PROGRESS)

    async def run() -> None:
        notice = asyncio.create_task(later())
        try:
            await work
        finally:
            notice.cancel()

    if not run_after_ack(runtime, run(), tell=reply_with(respond)):
        work.close()  # refused (the user was told): it never ran


def by_dm(runtime: Runtime, user: str) -> Tell:
    async def tell(text: str) -> None:
        await runtime.notify(user, text)

    return tell


def in_window(runtime: Runtime, view_id: str, failed: Callable[[str], View]) -> Tell:
    """The window shows `failed(sentence)` instead of waiting for ever."""

    async def tell(text: str) -> None:
        await runtime.slack.views_update(view_id=view_id, view=failed(text))

    return tell


def on_home(runtime: Runtime, user: str) -> Tell:
    """The App Home the person opened says why it can't show."""

    async def tell(text: str) -> None:
        await runtime.slack.views_publish(user_id=user, view=home([section(f":hourglass: {text}")]))

    return tell


def in_channel(runtime: Runtime, channel: str, user: str) -> Tell:
    """Seen only by `user`, in the channel the press came from (else a DM)."""

    async def tell(text: str) -> None:
        if channel:
            await runtime.slack.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            await runtime.notify(user, text)

    return tell
