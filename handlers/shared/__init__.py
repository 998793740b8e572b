"""Helpers every handler uses: the actor, background work with a reply, argument parsing."""

from __future__ import annotations

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


def in_background(runtime: Runtime, respond: Respond, work: Coroutine[Any, Any, Any]) -> None:
    """Run provider work after the ack; failures reach the user as one sentence."""
    runtime.tasks.spawn(work, reply=reply_with(respond))


def split_mention(words: list[str]) -> tuple[str | None, list[str]]:
    """Pull the first `<@U…>` out of the words; returns (user id or None, the rest)."""
    for index, word in enumerate(words):
        user = parse_mention(word)
        if user:
            return user, words[:index] + words[index + 1 :]
    return None, words
