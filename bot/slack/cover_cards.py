"""Cover requests in Block Kit: the channel message with "Take it", and how it reads once
taken, cancelled or past its time; `SlackCoverBoard` is the engine's port for the last."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.mrkdwn import date_token, escape, mention
from bot.slack.blocks import Block, actions, button, context, section
from bot.store.covers import Cover
from bot.store.rotations import RotationRecord

TAKE = "oncall_cover_take"


def card(rotation: RotationRecord, cover: Cover, *, state: str = "") -> tuple[str, list[Block]]:
    when = f"from {date_token(cover.start)} to {date_token(cover.end)}"
    name = escape(rotation.name)
    state = state or cover.status
    if state == "taken":
        text = f":white_check_mark: {mention(cover.taken_by)} covers {mention(cover.asker)} on *{name}* {when}."
        return text, [section(text)]
    if state in ("cancelled", "expired"):
        why = "cancelled" if state == "cancelled" else "its time has passed"
        text = f"~{mention(cover.asker)} asked for cover on *{name}* {when}.~ No longer open: {why}."
        return text, [section(text)]
    text = f"{mention(cover.asker)} asks for cover on *{name}* {when}."
    return text, [
        section(text),
        actions(button("Take it", TAKE, str(cover.id), style="primary"), block_id=f"cover:{cover.id}"),
        context("The first member to press it is on call for that time."),
    ]


class SlackCoverBoard:
    """Updates a request's channel message when its time has passed (the engine's sweep)."""

    def __init__(self, slack: AsyncWebClient) -> None:
        self._slack = slack

    async def expired(self, rotation: RotationRecord, cover: Cover) -> None:
        text, blocks = card(rotation, cover, state="expired")
        await self._slack.chat_update(channel=cover.channel, ts=cover.ts, text=text, blocks=blocks)
