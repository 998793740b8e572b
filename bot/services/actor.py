"""Who is acting, and the rule for acting on someone else."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import Forbidden

NOT_ADMIN = "Only Switchboard admins can do that for someone else."


@dataclass(frozen=True, slots=True)
class Actor:
    slack_user_id: str
    is_admin: bool

    def may_act_for(self, slack_user_id: str) -> bool:
        return self.is_admin or slack_user_id == self.slack_user_id

    def require_for(self, slack_user_id: str) -> None:
        """Refuse, before any provider call, to act on another user's line unless admin."""
        if not self.may_act_for(slack_user_id):
            raise Forbidden(NOT_ADMIN)

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("Only Switchboard admins can do that.")
