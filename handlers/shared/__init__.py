"""Helpers every handler uses: the actor, a command's reply, argument parsing (background
work: handlers.shared.background; window checks: handlers.shared.listeners)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.mrkdwn import parse_mention
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.respond import Respond

Tell = Callable[[str], Awaitable[Any]]  # says one sentence to the person, where they asked
Payload = dict[str, Any]  # what Slack sent: a request's body, an action, a submitted view, an event


def actor_of(context: AsyncBoltContext) -> Actor:
    actor = context.get("actor")
    if not isinstance(actor, Actor):
        raise PermissionError("no actor on this request")
    return actor


def actor_for(runtime: Runtime, user_id: str) -> Actor:
    """The actor for what is built for a person outside a request of theirs (their App Home,
    refreshed after anyone's change); a request's own actor comes from `actor_of`."""
    return Actor(slack_user_id=user_id, is_admin=runtime.is_admin(user_id))


def reply_with(respond: Respond) -> Tell:
    async def reply(text: str) -> None:
        await respond(**message(text), replace_original=False)

    return reply


PROGRESS_AFTER_SECONDS = 1.5  # docs/contract.md: an answer or a progress line within 2 s
PROGRESS = "Working on it: the phone system is taking a moment. The answer follows here."


def split_mention(words: list[str]) -> tuple[str | None, list[str]]:
    """Pull the first `<@U…>` out of the words; returns (user id or None, the rest)."""
    for index, word in enumerate(words):
        user = parse_mention(word)
        if user:
            return user, words[:index] + words[index + 1 :]
    return None, words
