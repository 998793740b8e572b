"""The Slack stand-in's user groups (`usergroups.*`), as strict as Slack.

From Slack's method pages (https://api.slack.com/methods/usergroups.create,
https://api.slack.com/methods/usergroups.list, https://api.slack.com/methods/usergroups.enable,
https://api.slack.com/methods/usergroups.disable,
https://api.slack.com/methods/usergroups.users.update,
https://api.slack.com/methods/usergroups.users.list):
- a workspace on a free plan answers every one of them `paid_teams_only`;
- when workspace settings keep apps from managing user groups, the writes answer
  `permission_denied` ("A bot token can be used only if permissions are set to everyone");
- `name` is required and "Must be unique among User Groups"; `handle` "Must be unique among
  channels, users and User Groups": both answer `name_already_exists` (⚠ the code for a
  taken handle is unconfirmed; Slack documents it for names);
- `usergroups.users.update` "replaces all users … with the list … provided"; it cannot empty a
  group (`invalid_users` for an empty or unknown list, `no_users_provided` without the
  argument); guests and bots can't be members (`invalid_user`); an unknown group id is
  `no_such_subteam`;
- `usergroups.list` leaves disabled groups out unless `include_disabled`, and lists members
  only with `include_users`.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

WRITES = {"usergroups.create", "usergroups.update", "usergroups.users.update"}
WRITES |= {"usergroups.disable", "usergroups.enable"}


class Member(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def is_bot(self) -> bool: ...
    @property
    def is_restricted(self) -> bool: ...
    @property
    def is_ultra_restricted(self) -> bool: ...
    @property
    def deleted(self) -> bool: ...


def _yes(value: object) -> bool:
    return str(value).lower() in ("1", "true")


def _ids(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v)]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


@dataclass
class UserGroupsStandIn:
    paid_plan: bool = True
    apps_may_manage: bool = True
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def members(self, handle: str) -> list[str]:
        """Test hook: who the group with that handle holds now."""
        found = next((g for g in self.groups.values() if g["handle"] == handle), None)
        return list(found["users"]) if found else []

    def answer(
        self, method: str, args: dict[str, Any], users: Mapping[str, Member], channel_names: set[str]
    ) -> dict[str, Any]:
        if not self.paid_plan:
            return {"ok": False, "error": "paid_teams_only"}
        if method in WRITES and not self.apps_may_manage:
            return {"ok": False, "error": "permission_denied"}
        if method == "usergroups.list":
            shown = [
                self._shown(g, with_users=_yes(args.get("include_users")))
                for g in self.groups.values()
                if _yes(args.get("include_disabled")) or not g["date_delete"]
            ]
            return {"ok": True, "usergroups": shown}
        if method == "usergroups.create":
            return self._create(args, users, channel_names)
        group = self.groups.get(str(args.get("usergroup") or ""))
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        if method == "usergroups.users.list":
            return {"ok": True, "users": list(group["users"])}
        if method in ("usergroups.disable", "usergroups.enable"):
            group["date_delete"] = int(time.time()) if method.endswith("disable") else 0
            return {"ok": True, "usergroup": self._shown(group, with_users=False)}
        if method == "usergroups.users.update":
            return self._set_users(group, args, users)
        return {"ok": False, "error": "unknown_method"}

    def _create(
        self, args: dict[str, Any], users: Mapping[str, Member], channel_names: set[str]
    ) -> dict[str, Any]:
        name = str(args.get("name") or "").strip()
        if not name:
            return {"ok": False, "error": "invalid_arguments"}
        handle = str(args.get("handle") or name).strip().lower()
        taken = {g["name"].lower() for g in self.groups.values()}
        handles = {g["handle"] for g in self.groups.values()}
        handles |= {u.name.lower() for u in users.values()} | channel_names
        if name.lower() in taken or handle in handles:
            return {"ok": False, "error": "name_already_exists"}
        group_id = f"S0SB{next(self._ids):05d}"
        now = int(time.time())
        self.groups[group_id] = {
            "id": group_id,
            "team_id": "T0SWITCHB",
            "is_usergroup": True,
            "name": name,
            "handle": handle,
            "description": str(args.get("description") or ""),
            "date_create": now,
            "date_update": now,
            "date_delete": 0,
            "users": [],
        }
        return {"ok": True, "usergroup": self._shown(self.groups[group_id], with_users=False)}

    def _set_users(
        self, group: dict[str, Any], args: dict[str, Any], users: Mapping[str, Member]
    ) -> dict[str, Any]:
        if "users" not in args:
            return {"ok": False, "error": "no_users_provided"}
        wanted = _ids(args.get("users"))
        if not wanted or any(u not in users or users[u].deleted for u in wanted):
            return {"ok": False, "error": "invalid_users"}
        if any(
            users[u].is_bot or users[u].is_restricted or users[u].is_ultra_restricted for u in wanted
        ):
            return {"ok": False, "error": "invalid_user"}
        group["users"] = list(dict.fromkeys(wanted))
        group["date_update"] = int(time.time())
        return {"ok": True, "usergroup": self._shown(group, with_users=True)}

    @staticmethod
    def _shown(group: dict[str, Any], *, with_users: bool) -> dict[str, Any]:
        shown = {k: v for k, v in group.items() if k != "users"}
        shown["user_count"] = str(len(group["users"]))
        if with_users:
            shown["users"] = list(group["users"])
        return shown
