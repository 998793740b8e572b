"""What the services need to know about Slack people (filled in by the Slack side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Profile:
    slack_user_id: str
    name: str
    email: str | None
    timezone: str | None


class Profiles(Protocol):
    async def profile(self, slack_user_id: str) -> Profile: ...
