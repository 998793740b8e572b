"""Rotations as people use them: create, who is on call, take over, the schedule, my number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capability
from bot.domain.notices import Name, Person, Verbatim, join, message
from bot.domain.schedule import Override, Shift, on_call, timeline
from bot.errors import UserError
from bot.oncall.calendar import CalendarFeeds
from bot.oncall.covers import CoverRequests
from bot.oncall.hotlines import HotlineCheck
from bot.oncall.validation import RotationSpec, validated
from bot.providers.specs import KnownSpecs
from bot.services import audit
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.services.toggles import ToggleService
from bot.store import Database
from bot.store import calendars as calendar_store
from bot.store import rotations as store
from bot.store import time_off as time_off_store
from bot.store.rotations import RotationRecord
from bot.store.time_off import Away

MIN_RING, MAX_RING, DEFAULT_RING = 10, 60, 20
MAX_AWAY = timedelta(days=90)


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
        specs: KnownSpecs,
        toggles: ToggleService,
    ) -> None:
        self._database = database
        self._identity = identity
        self._clock = clock
        self._destinations = destinations
        self._toggles = toggles
        self._hotlines = HotlineCheck(
            database,
            specs,
            identity.directory,
            destinations.region,
            virtual_numbers,
            identity.line_typing,
        )
        self.covers = CoverRequests(database=database, schedule=self.schedule, clock=clock)
        self.calendars = CalendarFeeds(
            database=database, identity=identity, schedule=self.schedule, clock=clock
        )

    async def save(self, actor: Actor, spec: RotationSpec) -> RotationRecord:
        """Create or edit a rotation (admins alone: docs/contract.md "Trust").

        A changed hotline gets its old one back as it was before the rotation took it,
        before the new one is saved (a failure there changes nothing).
        """
        actor.require_admin()
        existing = await self._by_name(spec.name, required=False)
        fields = await validated(
            spec,
            hotlines=self._hotlines,
            now=self._clock(),
            rotation_id=existing.id if existing else None,
        )
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
            await calendar_store.forget_rotation(session, rotation_id=rotation.id)
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
            raise UserError(
                message(
                    "There is no rotation yet; an admin can create one with ",
                    Verbatim("/oncall create"),
                    ".",
                )
            )
        names = join(", ", (message(Verbatim(r.name)) for r in choices))
        raise UserError(message("Which rotation? ", names))

    async def now(self, rotation: RotationRecord) -> Now:
        moment = self._clock()
        overrides = await self._overrides(rotation, moment)
        current = on_call(rotation.schedule, moment, overrides)
        return Now(rotation, current, on_call(rotation.schedule, current.end, overrides))

    async def schedule(self, rotation: RotationRecord, days: int = 14) -> list[Shift]:
        """The shifts from now for `days`, whole: the first from its real start, the last to
        its real end (not cut where the window happens to stop)."""
        moment = self._clock()
        overrides = await self._overrides(rotation, moment - timedelta(days=days))
        shifts = timeline(rotation.schedule, moment, moment + timedelta(days=days), overrides)
        if not shifts:
            return shifts
        first, last = shifts[0], shifts[-1]
        began = on_call(rotation.schedule, moment, overrides).start
        shifts[0] = Shift(first.member, min(began, first.start), first.end, first.override)
        ends = on_call(rotation.schedule, last.end - timedelta(microseconds=1), overrides).end
        shifts[-1] = Shift(last.member, shifts[-1].start, max(ends, last.end), last.override)
        return shifts

    async def take(self, actor: Actor, rotation: RotationRecord, until: datetime | None) -> Override:
        self._require_member_or_admin(actor, rotation)
        state = await self.now(rotation)
        return await self._override(actor, rotation, actor.slack_user_id, until, state, "rotation.take")

    async def release(self, actor: Actor, rotation: RotationRecord) -> Now:
        """End the actor's current override early; the schedule applies again."""
        now = self._clock()
        async with self._database.session() as session:
            ended = await store.end_override(
                session, rotation_id=rotation.id, member=actor.slack_user_id, now=now
            )
            if ended:
                await audit.record(
                    session,
                    actor=actor.slack_user_id,
                    subject=actor.slack_user_id,
                    line=rotation.hotline,
                    action="rotation.release",
                    before={"on_call": actor.slack_user_id, "override": True},
                    after={"override": False},
                    now=now,
                )
        if not ended:
            raise UserError(
                message(
                    "You have no override on ",
                    Name(rotation.name, strong=True),
                    " right now; nothing changed.",
                )
            )
        return await self.now(rotation)

    async def give(
        self, actor: Actor, rotation: RotationRecord, to: str, until: datetime | None
    ) -> Override:
        """Cover or swap: an override for another member. Members give their own time (while
        on call, until their shift ends by default); admins anyone's."""
        self._require_member_or_admin(actor, rotation)
        if to not in rotation.schedule.members:
            raise UserError(
                message(
                    Person(to),
                    " isn't a member of ",
                    Verbatim(rotation.name),
                    "; only members can be on call.",
                )
            )
        if to == actor.slack_user_id:
            raise UserError(message("To take the hotline yourself, use ", Verbatim("/oncall take"), "."))
        state = await self.now(rotation)
        if not actor.is_admin and state.current.member != actor.slack_user_id:
            raise UserError(
                message(
                    "You can give only your own time, and ",
                    Person(state.current.member),
                    " is on call for ",
                    Verbatim(rotation.name),
                    " now; ask them, or an admin.",
                )
            )
        return await self._override(actor, rotation, to, until, state, "rotation.give")

    async def _override(
        self,
        actor: Actor,
        rotation: RotationRecord,
        member: str,
        until: datetime | None,
        state: Now,
        action: str,
    ) -> Override:
        """`member` holds the hotline from now until `until` (the current shift's end by default)."""
        start = self._clock()
        end = until or state.current.end
        if end <= start:
            raise UserError("Pick an end in the future.")
        override = Override(member, start, end)
        async with self._database.session() as session:
            await store.add_override(
                session, rotation_id=rotation.id, override=override, by=actor.slack_user_id, now=start
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=member,
                line=rotation.hotline,
                action=action,
                before={"on_call": state.current.member},
                after={"on_call": member, "until": end.isoformat()},
                now=start,
            )
        return override

    async def escalate(
        self, actor: Actor, rotation: RotationRecord, to: str, ring_seconds: int
    ) -> RotationRecord:
        """Admins: whom the hotline rings after the on-call person (`next`, a member's Slack
        id, or "" for nobody), each ringing `ring_seconds`. Lives in the provider's routing."""
        actor.require_admin()
        if not MIN_RING <= ring_seconds <= MAX_RING:
            raise UserError(
                message(
                    f"The ring time is {MIN_RING} to {MAX_RING} seconds (e.g. ",
                    Verbatim("after 20s"),
                    ").",
                )
            )
        if to not in ("", "next") and to not in rotation.schedule.members:
            raise UserError(
                message(
                    Person(to),
                    " isn't a member of ",
                    Verbatim(rotation.name),
                    "; the backup must be one.",
                )
            )
        if to and not self._toggles.can_ring_in_order(rotation.line):
            able = self._toggles.capabilities.named(Capability.RING_IN_ORDER)
            raise UserError(
                message(
                    "The ",
                    Verbatim(rotation.name),
                    " hotline's provider can't ring a backup after the on-call person; "
                    f"only {able} hotlines can escalate.",
                )
            )
        now = self._clock()
        async with self._database.session() as session:
            await store.set_escalation(
                session, rotation_id=rotation.id, escalate_to=to, ring_seconds=ring_seconds
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline,
                action="rotation.escalate",
                before={"escalate_to": rotation.escalate_to, "ring_seconds": rotation.ring_seconds},
                after={"escalate_to": to, "ring_seconds": ring_seconds},
                now=now,
            )
            saved = await store.get(session, rotation_id=rotation.id)
        assert saved is not None
        return saved

    async def away(self, actor: Actor, start: datetime, end: datetime) -> list[RotationRecord]:
        """Time off: the actor is skipped in every rotation from `start` to `end` (the next
        member in order covers); returns their rotations."""
        now = self._clock()
        start = max(start, now)
        if end <= start:
            raise UserError("Pick time off that ends in the future.")
        if end - start > MAX_AWAY:
            raise UserError("Time off is 90 days at most at a time.")
        mine = [r for r in await self.rotations() if actor.slack_user_id in r.schedule.members]
        if not mine:
            raise UserError("You aren't in any rotation, so there is nothing to be away from.")
        async with self._database.session() as session:
            await time_off_store.add(
                session, slack_user_id=actor.slack_user_id, start=start, end=end, now=now
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line="-",
                action="oncall.away",
                before=None,
                after={"start": start.isoformat(), "end": end.isoformat()},
                now=now,
            )
        return mine

    async def back(self, actor: Actor) -> list[RotationRecord]:
        """`/oncall away cancel`: the actor's time off ends now (future time off goes)."""
        now = self._clock()
        async with self._database.session() as session:
            ended = await time_off_store.cancel(session, slack_user_id=actor.slack_user_id, now=now)
            if ended:
                await audit.record(
                    session,
                    actor=actor.slack_user_id,
                    subject=actor.slack_user_id,
                    line="-",
                    action="oncall.away.cancel",
                    before={"time_off": ended},
                    after=None,
                    now=now,
                )
        if not ended:
            raise UserError("You have no time off now or ahead; nothing changed.")
        return [r for r in await self.rotations() if actor.slack_user_id in r.schedule.members]

    async def time_off(self, rotation: RotationRecord, days: int = 14) -> list[Away]:
        """The members' time off from now for `days`."""
        now = self._clock()
        async with self._database.session() as session:
            found = await time_off_store.of(session, members=rotation.schedule.members, since=now)
        return [a for a in found if a.start < now + timedelta(days=days)]

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
            raise UserError(message("There is no rotation ", Verbatim(name[:40]), "."))
        return found

    @staticmethod
    def _require_member_or_admin(actor: Actor, rotation: RotationRecord) -> None:
        if not actor.is_admin and actor.slack_user_id not in rotation.schedule.members:
            raise UserError(
                message("Only admins and members of ", Verbatim(rotation.name), " can change it.")
            )
