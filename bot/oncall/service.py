"""Rotations as people use them: create, who is on call, take over, the schedule, my number."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.destinations import DestinationPolicy
from bot.domain.schedule import Override, Shift, on_call, timeline
from bot.errors import UserError
from bot.oncall.hotlines import HotlineCheck
from bot.services import audit
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.services.toggles import ToggleService
from bot.store import Database
from bot.store import rotations as store
from bot.store.rotations import RotationRecord

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
HANDOFF = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class RotationSpec:
    name: str
    hotline: str  # as typed: an extension number or smspartner:<number>
    members: list[str]
    shift_type: str
    shift_length: int
    handoff: str
    timezone: str
    channel: str


@dataclass(frozen=True)
class Now:
    rotation: RotationRecord
    current: Shift
    next: Shift


class RotationService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        clock: Callable[[], datetime],
        destinations: DestinationPolicy,
        virtual_numbers: frozenset[str],
        toggles: ToggleService,
    ) -> None:
        self._database = database
        self._identity = identity
        self._clock = clock
        self._destinations = destinations
        self._toggles = toggles
        self._hotlines = HotlineCheck(database, identity.directory, destinations.region, virtual_numbers)

    async def save(self, actor: Actor, spec: RotationSpec) -> RotationRecord:
        """Create or edit a rotation (admins alone: CONTRACT "Trust").

        A changed hotline gets its old one back as it was before the rotation took it,
        before the new one is saved (a failure there changes nothing).
        """
        actor.require_admin()
        existing = await self._by_name(spec.name, required=False)
        fields = await self._validated(spec, existing.id if existing else None)
        if existing is not None and existing.hotline != fields["hotline"]:
            await self.release_hotline(existing)
        now = self._clock()
        async with self._database.session() as session:
            rotation_id = await store.save(
                session, fields=fields, members=spec.members, by=actor.slack_user_id, now=now
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=str(fields["hotline"]),
                action="rotation.save",
                before=None,
                after={**fields, "members": spec.members},
                now=now,
            )
            saved = await store.get(session, rotation_id=rotation_id)
        assert saved is not None
        return saved

    async def delete(self, actor: Actor, name: str) -> RotationRecord:
        """Delete a rotation (admins); its hotline goes back as it was before."""
        actor.require_admin()
        rotation = await self._by_name(name, required=True)
        assert rotation is not None
        await self.release_hotline(rotation)
        now = self._clock()
        async with self._database.session() as session:
            await store.remove(session, rotation_id=rotation.id)
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline,
                action="rotation.delete",
                before={"name": rotation.name, "members": list(rotation.schedule.members)},
                after=None,
                now=now,
            )
        return rotation

    async def release_hotline(self, rotation: RotationRecord) -> bool:
        """Undo what the rotation set on its hotline (exactly, as `/forward off` does)."""
        toggle = await self._toggles.active_toggle(rotation.line)
        if toggle is None:
            return False
        await self._toggles.revert(toggle)
        return True

    async def rotations(self) -> list[RotationRecord]:
        async with self._database.session() as session:
            return await store.all_rotations(session)

    async def pick(self, name: str | None, viewer: str) -> RotationRecord:
        """The named rotation, or the only one (preferring the viewer's own)."""
        if name:
            found = await self._by_name(name, required=True)
            assert found is not None
            return found
        everything = await self.rotations()
        mine = [r for r in everything if viewer in r.schedule.members]
        choices = mine if len(mine) == 1 else everything
        if len(choices) == 1:
            return choices[0]
        if not choices:
            raise UserError("There is no rotation yet; an admin can create one with `/oncall create`.")
        names = ", ".join(f"`{r.name}`" for r in choices)
        raise UserError(f"Which rotation? {names}")

    async def now(self, rotation: RotationRecord) -> Now:
        moment = self._clock()
        overrides = await self._overrides(rotation, moment)
        current = on_call(rotation.schedule, moment, overrides)
        return Now(rotation, current, on_call(rotation.schedule, current.end, overrides))

    async def schedule(self, rotation: RotationRecord, days: int = 14) -> list[Shift]:
        moment = self._clock()
        return timeline(
            rotation.schedule,
            moment,
            moment + timedelta(days=days),
            await self._overrides(rotation, moment),
        )

    async def take(self, actor: Actor, rotation: RotationRecord, until: datetime | None) -> Override:
        self._require_member_or_admin(actor, rotation)
        state = await self.now(rotation)
        start = self._clock()
        end = until or state.current.end
        if end <= start:
            raise UserError("Pick an end in the future.")
        override = Override(actor.slack_user_id, start, end)
        async with self._database.session() as session:
            await store.add_override(
                session, rotation_id=rotation.id, override=override, by=actor.slack_user_id, now=start
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline,
                action="rotation.take",
                before={"on_call": state.current.member},
                after={"on_call": actor.slack_user_id, "until": end.isoformat()},
                now=start,
            )
        return override

    async def set_number(self, actor: Actor, raw: str) -> str:
        number = self._destinations.number(raw)
        async with self._database.session() as session:
            await store.set_oncall_number(session, slack_user_id=actor.slack_user_id, number=number)
            await store.check_soon(session, member=actor.slack_user_id)
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line="-",
                action="oncall.number",
                before=None,
                after={"number": number},
                now=self._clock(),
            )
        return number

    async def _overrides(self, rotation: RotationRecord, since: datetime) -> list[Override]:
        async with self._database.session() as session:
            return await store.overrides(session, rotation_id=rotation.id, since=since)

    async def _by_name(self, name: str, *, required: bool) -> RotationRecord | None:
        found = next((r for r in await self.rotations() if r.name == name.lower()), None)
        if found is None and required:
            raise UserError(f"There is no rotation `{name[:40]}`.")
        return found

    @staticmethod
    def _require_member_or_admin(actor: Actor, rotation: RotationRecord) -> None:
        if not actor.is_admin and actor.slack_user_id not in rotation.schedule.members:
            raise UserError(f"Only admins and members of `{rotation.name}` can change it.")

    async def _validated(self, spec: RotationSpec, rotation_id: int | None) -> dict[str, object]:
        if not NAME.match(spec.name.lower()):
            raise UserError("A rotation name is one word: letters, digits, - or _ (e.g. `support`).")
        if not spec.members:
            raise UserError("A rotation needs at least one member.")
        if spec.shift_type not in ("hourly", "daily", "weekly") or not 1 <= spec.shift_length <= 24:
            raise UserError("Shifts are hourly, daily or weekly, 1 to 24 of them long.")
        if not HANDOFF.match(spec.handoff):
            raise UserError("The handoff time looks like `09:00`.")
        try:
            zone = ZoneInfo(spec.timezone)
        except (KeyError, ValueError):
            raise UserError("The time zone must be an IANA name such as `Europe/Paris`.") from None
        hotline, label = await self._hotlines.resolve(spec.hotline, rotation_id=rotation_id)
        hour, minute = spec.handoff.split(":")
        return {
            "name": spec.name.lower(),
            "hotline": hotline,
            "hotline_label": label,
            "shift_type": spec.shift_type,
            "shift_length": spec.shift_length,
            "handoff": f"{int(hour):02d}:{minute}",
            "timezone": spec.timezone,
            "start_date": date.isoformat(self._clock().astimezone(zone).date()),
            "channel": spec.channel,
        }
