"""Slack user groups for the on-call engine (the `UserGroups` port).

Slack's rules (https://api.slack.com/methods/usergroups.create, usergroups.list,
usergroups.enable, usergroups.users.update): names are unique among user groups, handles
among channels, users and user groups (`name_already_exists`); workspaces on a free plan get
`paid_teams_only`; workspace settings may keep apps from managing groups
(`permission_denied`); `usergroups.users.update` replaces the whole member list and can't
empty a group. Each refusal becomes one sentence.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import UserError
from bot.slack.errors import error_code

REFUSALS = {
    "paid_teams_only": (
        "This Slack workspace's plan has no user groups, so Switchboard can't keep an on-call "
        "group here."
    ),
    "permission_denied": (
        "Slack's workspace settings don't let apps manage user groups; an owner can allow it "
        "under Settings & permissions > Permissions > User Groups."
    ),
    "missing_scope": (
        "The app lacks the `usergroups:write` scope; reinstall it from the current manifest "
        "(`switchboard manifest`)."
    ),
}


class SlackUserGroups:
    def __init__(self, slack: AsyncWebClient) -> None:
        self._slack = slack

    async def ensure(self, *, handle: str, name: str, description: str) -> str:
        try:
            listed = await self._slack.usergroups_list(include_disabled=True)
            found = next(
                (g for g in _groups(listed.data) if str(g.get("handle", "")).lower() == handle), None
            )
            if found is not None:
                if int(found.get("date_delete") or 0):  # disabled: bring it back
                    await self._slack.usergroups_enable(usergroup=str(found["id"]))
                return str(found["id"])
            made = await self._slack.usergroups_create(name=name, handle=handle, description=description)
        except SlackApiError as exc:
            code = error_code(exc)
            if code == "name_already_exists":
                raise UserError(
                    f"Slack already has a user group, channel or person named like `@{handle}` "
                    f"or “{name}”; pick another handle (`/oncall group <rotation> @another-handle`)."
                ) from None
            raise UserError(REFUSALS.get(code, f"Slack refused the user group (`{code}`).")) from None
        group = made.data.get("usergroup") if isinstance(made.data, dict) else None
        if not isinstance(group, dict) or not group.get("id"):
            raise UserError("Slack didn't say which user group it made; try again.")
        return str(group["id"])

    async def set_members(self, group_id: str, members: list[str]) -> None:
        await self._slack.usergroups_users_update(usergroup=group_id, users=members)


def _groups(data: Any) -> list[dict[str, Any]]:
    groups = data.get("usergroups") if isinstance(data, dict) else None
    return [g for g in groups or [] if isinstance(g, dict)]
