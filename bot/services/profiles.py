"""What the services need to know about Slack people (filled in by the Slack side)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Workspace:
    """The bot's own workspace, from `auth.test` (`enterprise_id` for an org-wide install)."""

    team_id: str
    enterprise_id: str | None = None

    def owns(self, team_id: str | None, enterprise_id: str | None) -> bool:
        """Is a request (or a profile) from this workspace? Deny when it says nothing."""
        if self.enterprise_id:
            return enterprise_id == self.enterprise_id
        return bool(team_id) and team_id == self.team_id


@dataclass(frozen=True, slots=True)
class Profile:
    slack_user_id: str
    name: str
    email: str | None
    timezone: str | None
    # The users.info flags docs/contract.md "Trust" checks before linking by email.
    found: bool = False
    email_confirmed: bool = False
    guest_or_external: bool = True  # is_restricted, is_ultra_restricted or is_stranger
    bot_or_deleted: bool = True
    team_id: str | None = None
    enterprise_id: str | None = None

    def may_link_by_email(self, workspace: Workspace | None) -> bool:
        """A confirmed full member of our workspace, with an email: nobody else."""
        return (
            workspace is not None
            and self.found
            and bool(self.email)
            and self.email_confirmed
            and not self.guest_or_external
            and not self.bot_or_deleted
            and workspace.owns(self.team_id, self.enterprise_id)
        )


class Profiles(Protocol):
    async def profile(self, slack_user_id: str) -> Profile: ...

    def forget(self, slack_user_id: str) -> None: ...


class WorkspaceSource(Protocol):
    """The bot's workspace, once known (None while Slack can't be asked)."""

    async def get(self) -> Workspace | None: ...
