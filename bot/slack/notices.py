"""Messages the bot sends outside a reply: to a person, a channel, or every admin.

One path for all of them (the `Notifier` the core loops use): slack_sdk's retry handlers
retry rate limits and connection errors; what still fails is mapped once
(`bot.slack.errors`) and, for a channel notice, reported to the admins, so nothing is
lost silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.calls import CallCard
from bot.domain.notices import Message
from bot.services.notifier import CardPlace
from bot.slack.actions import RETRY_TOGGLE
from bot.slack.blocks import Block, actions, button, section
from bot.slack.call_cards import card_kwargs
from bot.slack.errors import ABOUT_A_PERSON, error_code, why_undeliverable
from bot.slack.rendering import render
from bot.store import Database
from bot.store import notices as notice_store

log = logging.getLogger(__name__)


class Notices:
    def __init__(
        self,
        slack: AsyncWebClient,
        admins: list[str],
        database: Database,
        clock: Callable[[], datetime],
        *,
        region: str = "US",
    ) -> None:
        self._slack = slack
        self._admins = admins
        self._database = database
        self._clock = clock
        self._alerted: set[str] = set()
        self.region = region  # how numbers on cards are written (SWITCHBOARD_DEFAULT_REGION)

    async def post(self, channel: str, text: str | Message) -> bool:
        """Deliver to a user id (their DM with the app) or a channel; False when it couldn't be."""
        return await self._deliver(channel, render(text))

    async def _deliver(self, channel: str, text: str, blocks: list[Block] | None = None) -> bool:
        """Post mrkdwn `text` (with `blocks`, Block Kit the Slack side built)."""
        try:  # slack_sdk drops arguments that are None
            await self._slack.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except Exception as exc:
            code = error_code(exc)
            log.warning("could not post to %s: %s", channel, code)
            if not channel.startswith(("U", "W")) and code not in ABOUT_A_PERSON:
                await self.alert_admins(
                    f"A notice for <#{channel}> couldn't be delivered: {why_undeliverable(code)}. "
                    f"It said: {text[:300]}"
                )
            return False
        return True

    async def show_call(
        self, recipient: str, card: CallCard, place: CardPlace | None
    ) -> CardPlace | None:
        """Post the card (a DM for a user id), or update the message it already is."""
        message = card_kwargs(card, self.region)
        try:
            if place is not None:
                await self._slack.chat_update(channel=place[0], ts=place[1], **message)
                return place
            answer = await self._slack.chat_postMessage(channel=recipient, **message)
        except Exception as exc:
            log.warning("could not show a call card to %s: %s", recipient, error_code(exc))
            return place
        return str(answer.get("channel") or recipient), str(answer.get("ts") or "")

    async def revert_failed(self, slack_user_id: str, text: str | Message, toggle_id: int) -> bool:
        text = render(text)
        retry = actions(button("Try again now", RETRY_TOGGLE, str(toggle_id), style="primary"))
        return await self._deliver(slack_user_id, text, [section(text), retry])

    async def tell(self, slack_user_id: str, text: str | Message) -> bool:
        return await self.post(slack_user_id, text)

    async def alert_admins(self, text: str) -> None:
        """A problem for the admins, each text once per process."""
        if text in self._alerted:
            return
        self._alerted.add(text)
        for admin in self._admins:
            await self._dm(admin, f":warning: {text}")

    async def send_stored(self) -> int:
        """Send the store's own notices (a migration's) to the admins, once across instances."""
        texts = await notice_store.claim_unsent(self._database, now=self._clock())
        for text in texts:
            for admin in self._admins:
                await self._dm(admin, f":warning: {text}")
        return len(texts)

    async def _dm(self, admin: str, text: str) -> None:
        try:
            await self._slack.chat_postMessage(channel=admin, text=text)
        except Exception as exc:  # an admin alert that fails has nowhere else to go
            log.error("could not alert admin %s: %s", admin, error_code(exc))
