"""Direct messages the bot sends outside a reply: to one person, or to every admin."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

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
    ) -> None:
        self._slack = slack
        self._admins = admins
        self._database = database
        self._clock = clock
        self._alerted: set[str] = set()

    async def tell(self, slack_user_id: str, text: str) -> bool:
        """A DM to one person; False (and a log line) when Slack refused it."""
        try:
            await self._slack.chat_postMessage(channel=slack_user_id, text=text)
        except Exception as exc:
            log.warning("could not tell %s (%s)", slack_user_id, type(exc).__name__)
            return False
        return True

    async def alert_admins(self, text: str) -> None:
        """A configuration problem, to every admin, each text once per process."""
        if text in self._alerted:
            return
        self._alerted.add(text)
        for admin in self._admins:
            await self.tell(admin, f":warning: {text}")

    async def send_stored(self) -> int:
        """Send the store's own notices (a migration's) to the admins, once across instances."""
        texts = await notice_store.claim_unsent(self._database, now=self._clock())
        for text in texts:
            for admin in self._admins:
                await self.tell(admin, f":warning: {text}")
        return len(texts)
