"""The bot's own workspace, from `auth.test`: asked at start-up, again until it answers."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.services.profiles import Workspace

log = logging.getLogger(__name__)


class SlackWorkspace:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._known: Workspace | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Workspace | None:
        if self._known is not None:
            return self._known
        async with self._lock:
            if self._known is None:
                try:
                    answer = await self._client.auth_test()
                except Exception as exc:  # deny by default until Slack answers
                    log.warning("auth.test failed (%s); requests wait for it", type(exc).__name__)
                    return None
                org_wide = bool(answer.get("is_enterprise_install"))
                self._known = Workspace(
                    team_id=str(answer.get("team_id") or ""),
                    enterprise_id=str(answer.get("enterprise_id") or "") if org_wide else None,
                )
                log.info("serving Slack workspace %s", self._known.team_id)
        return self._known
