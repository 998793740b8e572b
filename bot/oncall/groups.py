"""The Slack user group of a rotation (`@support-oncall`): always exactly who is on call.

The core speaks to Slack only through the `UserGroups` port (its Slack side is
`bot/slack/usergroups.py`). Who the group holds is moved by compare-and-set in the store, so
with several instances one of them makes each change, within one scheduler tick of the
handoff, override, give or release that caused it; a failed update is put back and tried
again at the next tick.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.domain.notices import Verbatim, message, plain
from bot.errors import UserError, said
from bot.mrkdwn import parse_group, parse_mention
from bot.services import audit
from bot.services.actor import Actor
from bot.store import Database
from bot.store import rotations as store
from bot.store.rotations import RotationRecord

log = logging.getLogger(__name__)
HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
EXAMPLE_HANDLE = Verbatim("@support-oncall")


class UserGroups(Protocol):
    async def ensure(self, *, handle: str, name: str, description: str) -> str:
        """The id of the user group with that handle, created (or re-enabled) when missing;
        a UserError of one sentence when Slack won't (plan, permission, a taken name)."""
        ...

    async def set_members(self, group_id: str, members: list[str]) -> None: ...


def default_handle(rotation: RotationRecord) -> str:
    return f"{rotation.name}-oncall"


def read_handle(text: str) -> str:
    """`@support-oncall`, `support-oncall`, or Slack's user group token (`bot.mrkdwn.parse_group`)."""
    if parse_mention(text):
        raise UserError(
            message("That's a person; give the group a handle of its own (e.g. ", EXAMPLE_HANDLE, ").")
        )
    handle = (parse_group(text) or text.strip()).lstrip("@").lower()
    if not HANDLE.match(handle):
        raise UserError(
            message(
                "A user group handle is one word of letters, digits, ",
                Verbatim("."),
                ", ",
                Verbatim("-"),
                " or ",
                Verbatim("_"),
                " (e.g. ",
                EXAMPLE_HANDLE,
                ").",
            )
        )
    return handle


class GroupKeeper:
    def __init__(self, *, database: Database, port: UserGroups, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._port = port
        self._clock = clock

    async def keep(self, actor: Actor, rotation: RotationRecord, handle: str) -> str:
        """Admins: keep `@handle` equal to who is on call (created when missing); its id."""
        actor.require_admin()
        group_id = await self._port.ensure(
            handle=handle,
            name=f"{rotation.name} on call"[:80],
            description=f"Whoever is on call for {rotation.name} (kept by Switchboard)",
        )
        await self._save(actor, rotation, handle, group_id)
        return group_id

    async def stop(self, actor: Actor, rotation: RotationRecord) -> None:
        actor.require_admin()
        if not rotation.group_id:
            raise UserError(
                message(
                    "Switchboard keeps no user group for ", Verbatim(rotation.name), "; nothing changed."
                )
            )
        await self._save(actor, rotation, "", "")

    async def _save(self, actor: Actor, rotation: RotationRecord, handle: str, group_id: str) -> None:
        async with self._database.session() as session:
            await store.set_group(session, rotation_id=rotation.id, handle=handle, group_id=group_id)
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline,
                action="rotation.group",
                before={"group": rotation.group_handle},
                after={"group": handle},
                now=self._clock(),
            )

    async def follow(self, rotation: RotationRecord, member: str) -> bool:
        """Put `member` alone in the rotation's group if it holds someone else; True if moved."""
        if not rotation.group_id or rotation.group_member == member:
            return False
        was = rotation.group_member
        if not await store.claim_group(
            self._database, rotation_id=rotation.id, was=was, now_member=member
        ):
            return False  # another instance moved it
        try:
            await self._port.set_members(rotation.group_id, [member])
        except Exception as exc:
            log.warning("rotation %s: user group not updated: %s", rotation.name, plain(said(exc, log)))
            await store.claim_group(self._database, rotation_id=rotation.id, was=member, now_member=was)
            return False
        return True
