"""Helpers every handler uses: the actor, background work with a reply, argument parsing."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.mrkdwn import parse_mention
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.respond import Respond


def actor_of(context: AsyncBoltContext) -> Actor:
    actor = context.get("actor")
    if not isinstance(actor, Actor):
        raise PermissionError("no actor on this request")
    return actor


def reply_with(respond: Respond) -> Any:
    async def reply(text: str) -> None:
        await respond(**message(text), replace_original=False)

    return reply


PROGRESS_AFTER_SECONDS = 1.5  # docs/contract.md: an answer or a progress line within 2 s
PROGRESS = "Working on it: the phone system is taking a moment. The answer follows here."


def in_background(runtime: Runtime, respond: Respond, work: Coroutine[Any, Any, Any]) -> None:
    """Run provider work after the ack; failures reach the user as one sentence. When the
    answer takes longer than PROGRESS_AFTER_SECONDS, a progress line comes first."""

    async def later() -> None:
        await asyncio.sleep(PROGRESS_AFTER_SECONDS)
        await respond.progress(PROGRESS)

    async def run() -> None:
        notice = asyncio.create_task(later())
        try:
            await work
        finally:
            notice.cancel()

    if not runtime.tasks.spawn(run(), reply=reply_with(respond)):
        work.close()  # refused (the user was told): it never ran


def split_mention(words: list[str]) -> tuple[str | None, list[str]]:
    """Pull the first `<@U…>` out of the words; returns (user id or None, the rest)."""
    for index, word in enumerate(words):
        user = parse_mention(word)
        if user:
            return user, words[:index] + words[index + 1 :]
    return None, words
