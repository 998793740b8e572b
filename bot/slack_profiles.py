"""Slack profiles through `users.info`, cached briefly (directory lookups may be cached)."""

from __future__ import annotations

import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.profiles import Profile

PROFILE_TTL_SECONDS = 300.0


class SlackProfiles:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._cache: dict[str, tuple[float, Profile]] = {}

    async def profile(self, slack_user_id: str) -> Profile:
        cached = self._cache.get(slack_user_id)
        if cached and time.monotonic() - cached[0] < PROFILE_TTL_SECONDS:
            return cached[1]
        try:
            response = await self._client.users_info(user=slack_user_id)
        except SlackApiError:
            return Profile(slack_user_id, name=slack_user_id, email=None, timezone=None)
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        found = Profile(
            slack_user_id=slack_user_id,
            name=profile.get("real_name") or user.get("name") or slack_user_id,
            email=profile.get("email"),
            timezone=user.get("tz"),
        )
        self._cache[slack_user_id] = (time.monotonic(), found)
        return found
