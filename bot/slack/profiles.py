"""Slack profiles through `users.info`, cached briefly (directory lookups may be cached)."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.clock import monotonic
from bot.services.profiles import Profile

PROFILE_TTL_SECONDS = 300.0


def profile_of(slack_user_id: str, user: dict[str, Any]) -> Profile:
    """A Profile from Slack's user object (users.info, or a `user_change` event)."""
    fields = user.get("profile") or {}
    enterprise = user.get("enterprise_user") or {}
    return Profile(
        slack_user_id=slack_user_id,
        name=fields.get("real_name") or user.get("real_name") or user.get("name") or slack_user_id,
        email=fields.get("email") or None,
        timezone=user.get("tz"),
        found=True,
        email_confirmed=user.get("is_email_confirmed") is True,
        guest_or_external=any(
            user.get(flag) is True for flag in ("is_restricted", "is_ultra_restricted", "is_stranger")
        ),
        bot_or_deleted=any(user.get(flag) is True for flag in ("is_bot", "deleted"))
        or slack_user_id == "USLACKBOT",
        team_id=user.get("team_id"),
        enterprise_id=enterprise.get("enterprise_id"),
    )


class SlackProfiles:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._cache: dict[str, tuple[float, Profile]] = {}

    async def profile(self, slack_user_id: str) -> Profile:
        cached = self._cache.get(slack_user_id)
        if cached and monotonic() - cached[0] < PROFILE_TTL_SECONDS:
            return cached[1]
        try:
            response = await self._client.users_info(user=slack_user_id)
        except SlackApiError:
            return Profile(slack_user_id, name=slack_user_id, email=None, timezone=None)
        found = profile_of(slack_user_id, dict(response.get("user") or {}))
        self._cache[slack_user_id] = (monotonic(), found)
        return found

    def remember(self, profile: Profile) -> None:
        """A profile Slack just pushed (`user_change`): fresher than any cached one."""
        self._cache[profile.slack_user_id] = (monotonic(), profile)

    def forget(self, slack_user_id: str) -> None:
        self._cache.pop(slack_user_id, None)
