"""The handoff engine: level-triggered, so a crash or a change made elsewhere repairs itself.

At every tick, for each rotation: who should hold the hotline now (schedule + overrides).
When that changes (a handoff), or every SWITCHBOARD_DRIFT_CHECK_SECONDS otherwise, one
instance leases the rotation, reads where the hotline actually forwards, and makes the one
change that closes the gap. Between those reads nothing is asked of the provider: a
RingCentral hotline read is one Light and one Medium request, and the Medium budget (40 a
minute) is shared with everyone using the administrator's token. Notices follow what was
recorded, so none is sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.domain.forwarding import Ladder
from bot.domain.notices import Icon, Message, Name, Person, Verbatim, When, message, plain
from bot.domain.schedule import Override, Shift, on_call, timeline
from bot.domain.times import local_time
from bot.errors import said
from bot.oncall.covers import CoverBoard, sweep
from bot.oncall.groups import GroupKeeper
from bot.oncall.reminders import ShiftReminders, how_to_add_a_number
from bot.phone import shown
from bot.services.actor import Actor
from bot.services.forwarding import ForwardingService
from bot.services.identity import Identity
from bot.services.notifier import Notifier
from bot.services.toggles import ToggleService
from bot.store import Database
from bot.store import rotations as store
from bot.store import time_off as time_off_store
from bot.store.links import LinkRecord
from bot.store.rotations import RotationRecord

log = logging.getLogger(__name__)

SYSTEM = Actor("switchboard", is_admin=True)
ANNOUNCE_AFTER_FAILURES = 3


def backoff(failures: int) -> timedelta:
    return timedelta(seconds=min(900, 15 * 2 ** (failures - 1)))


def hotline_line(rotation: RotationRecord) -> LinkRecord:
    return rotation.line


class HandoffEngine:
    def __init__(
        self,
        *,
        database: Database,
        toggles: ToggleService,
        forwarding: ForwardingService,
        identity: Identity,
        notifier: Notifier,
        clock: Callable[[], datetime],
        drift_check: timedelta = timedelta(minutes=5),
        groups: GroupKeeper | None = None,
        cover_board: CoverBoard | None = None,
    ) -> None:
        self._drift_check = drift_check
        self.groups = groups
        self._cover_board = cover_board
        self._reminders = ShiftReminders(
            database=database,
            identity=identity,
            notifier=notifier,
            number_of=self.number_of,
            mobile_type_of=self.mobile_type_of,
            region=forwarding.region,
        )
        self._database = database
        self._toggles = toggles
        self._forwarding = forwarding
        self._identity = identity
        self._notifier = notifier
        self._clock = clock

    async def tick(self, now: datetime | None = None) -> int:
        """Reconcile every rotation due a check that this instance can lease; returns changes made."""
        moment = now or self._clock()
        async with self._database.session() as session:
            rotations = await store.all_rotations(session)
        changed = 0
        for rotation in rotations:
            shift, overrides = await self._shift(rotation, moment)
            await self._reminders.check(rotation, shift, overrides, moment)
            await self._follow_group(rotation, shift)
            if self._settled(rotation, shift, moment):
                continue
            checked = (shift.member, moment - self._drift_check)
            if await store.claim(
                self._database, rotation_id=rotation.id, now=moment, unless_checked_for=checked
            ):
                changed += await self._reconcile(rotation, shift, moment)
        if self._cover_board is not None:
            await sweep(self._database, self._cover_board, moment)  # requests past their time
        return changed

    async def reconcile_now(self, rotation_id: int) -> int:
        """Check one rotation at once (after `/oncall take`); the others wait for their tick."""
        moment = self._clock()
        async with self._database.session() as session:
            rotation = await store.get(session, rotation_id=rotation_id)
        if rotation is None:
            return 0
        shift, _ = await self._shift(rotation, moment)
        await self._follow_group(rotation, shift)  # its own compare-and-set
        if not await store.claim(self._database, rotation_id=rotation.id, now=moment):
            return 0
        return await self._reconcile(rotation, shift, moment)

    async def _follow_group(self, rotation: RotationRecord, shift: Shift) -> None:
        """The rotation's Slack user group holds whoever is on call (whatever the hotline does)."""
        if self.groups is not None:
            await self.groups.follow(rotation, shift.member)

    def _settled(self, rotation: RotationRecord, shift: Shift, now: datetime) -> bool:
        """Same holder, read back recently and nothing failing: nothing to ask the provider."""
        return (
            rotation.current_member == shift.member
            and rotation.failures == 0
            and rotation.checked_at is not None
            and now - rotation.checked_at < self._drift_check
        )

    async def _shift(self, rotation: RotationRecord, now: datetime) -> tuple[Shift, list[Override]]:
        async with self._database.session() as session:
            overrides = await store.overrides(session, rotation_id=rotation.id, since=now)
        return on_call(rotation.schedule, now, overrides), overrides

    async def number_of(self, member: str) -> str | None:
        """Their chosen on-call number, else the mobile one among their forwarding numbers.

        A number the destination policy refuses (one set before the policy was tightened,
        or a mobile number set in the provider's own app) counts as none: the rotation is
        at risk, and nothing is forwarded there.
        """
        allowed = self._forwarding.destinations.allows
        async with self._database.session() as session:
            chosen = await store.oncall_number(session, slack_user_id=member)
        if chosen:
            return chosen if allowed(chosen) else None
        lines = await self._identity.lines_of(member)
        line = self._forwarding.line_of(lines)
        if line is None:
            return None
        numbers = await self._forwarding.numbers(line)
        return next((n.phone for n in numbers if n.mobile and allowed(n.phone)), None)

    async def mobile_type_of(self, member: str) -> str | None:
        """The type of a mobile forwarding number on the member's line that keeps them (what
        `number_of` falls back to), when a type word adds one; None when they have no such line
        or its provider no such type."""
        line = self._forwarding.line_of(await self._identity.lines_of(member))
        return None if line is None else self._forwarding.mobile_type(line)

    async def backup_of(self, rotation: RotationRecord, shift: Shift) -> str | None:
        """Whom the hotline rings when the on-call person doesn't answer (None: nobody).

        `next`: the next other member in the schedule (overrides applied); a named member,
        unless they are the one on call, when the next other member is rung instead. Someone
        away now is skipped (time off skips them in every rotation, as the backup too).
        """
        wanted = rotation.escalate_to
        if not wanted:
            return None
        now = self._clock()
        members = rotation.schedule.members
        async with self._database.session() as session:
            away = await time_off_store.of(session, members=members, since=now)
            overrides = await store.overrides(session, rotation_id=rotation.id, since=shift.end)
        skipped = {shift.member} | {a.member for a in away if a.start <= now}
        if wanted != "next" and wanted not in skipped and wanted in members:
            return wanted
        ahead = timeline(rotation.schedule, shift.end, shift.end + timedelta(days=62), overrides)
        return next((s.member for s in ahead if s.member not in skipped), None)

    async def _ladder(
        self, rotation: RotationRecord, shift: Shift, target: str
    ) -> tuple[Ladder | None, str]:
        """The order to ring, and the backup as recorded ("<member> <number>", "" for none)."""
        if not self._toggles.can_ring_in_order(hotline_line(rotation)):
            return None, ""  # a hotline moved to a provider that can't (refused when set)
        backup = await self.backup_of(rotation, shift)
        second = await self.number_of(backup) if backup else None
        if backup is None or second is None or second == target:
            return None, ""
        return Ladder(target, second, rotation.ring_seconds), f"{backup} {second}"

    async def _reconcile(self, rotation: RotationRecord, shift: Shift, now: datetime) -> int:
        try:
            target = await self.number_of(shift.member)
            if target is None:
                await self._at_risk(rotation, shift, now)
                return 0
            line = hotline_line(rotation)
            ladder, backup = await self._ladder(rotation, shift, target)
            status = await self._toggles.line_status(line)
            if ladder is None:
                in_place = status.mode == "forward" and status.target == target
            else:
                in_place = (status.mode, status.target, status.backup, status.ring_seconds) == (
                    "escalate",
                    target,
                    ladder.backup,
                    ladder.ring_seconds,
                )
            if not in_place:
                key = f"rotation:{rotation.id}:{shift.member}:{target}:{backup}:{now.isoformat()}"
                if ladder is None:
                    await self._toggles.turn_on(
                        SYSTEM, line, kind="forward", target=target, until=None, key=key
                    )
                else:
                    await self._toggles.ring_in_order(SYSTEM, line, ladder, until=None, key=key)
        except Exception as exc:
            await self._failed(rotation, shift, now, said(exc, log))
            return 0
        await self._record(rotation, shift, target, now, changed=not in_place, backup=backup)
        return 0 if in_place else 1

    async def _record(
        self,
        rotation: RotationRecord,
        shift: Shift,
        target: str,
        now: datetime,
        *,
        changed: bool,
        backup: str = "",
    ) -> None:
        new_holder = rotation.current_member != shift.member or rotation.current_target != target
        rearranged = rotation.current_backup != backup  # escalation set, changed or moved on
        kind = "handoff" if new_holder else "drift" if changed and not rearranged else ""
        async with self._database.session() as session:
            if kind:
                await store.add_handoff(
                    session,
                    rotation_id=rotation.id,
                    member=shift.member,
                    target=target,
                    kind=kind,
                    shift_start=shift.start,
                    now=now,
                )
            await store.finish(
                session,
                rotation_id=rotation.id,
                member=shift.member,
                target=target,
                failures=0,
                next_try_at=None,
                checked_at=now,
                backup=backup,
            )
        if kind == "handoff":
            await self._announce_handoff(rotation, shift, target, backup)
        elif kind == "drift":
            await self._post(
                rotation.channel,
                message(
                    "The ",
                    Name(rotation.name),
                    " hotline was changed outside Switchboard; it forwards to ",
                    Person(shift.member),
                    " again.",
                ),
            )

    async def _announce_handoff(
        self, rotation: RotationRecord, shift: Shift, target: str, backup: str = ""
    ) -> None:
        """In the channel, a date token (each reader's own zone); in the DM, the member's zone."""
        text = message(
            Person(shift.member),
            " is now on call for ",
            Name(rotation.name, strong=True),
            " until ",
            When(shift.end),
            "; the hotline ",
            Verbatim(rotation.hotline_label),
            " forwards to ",
            Verbatim(shown(target, self._forwarding.region)),
        )
        if " " in backup:
            member, number = backup.split(" ", 1)
            text += message(
                f", then after {rotation.ring_seconds} s to ",
                Person(member),
                " ",
                Verbatim(shown(number, self._forwarding.region)),
                " (backup)",
            )
        text += message(".")
        if rotation.current_member:
            text += message(" Handed over from ", Person(rotation.current_member), ".")
        await self._post(rotation.channel, text)
        zone = (await self._identity.profile(shift.member)).timezone
        until = local_time(shift.end, zone, self._clock())
        await self._post(
            shift.member,
            message("You are on call for ", Name(rotation.name, strong=True), f" until {until}."),
        )
        if rotation.current_member and rotation.current_member != shift.member:
            # Given or covered for a while (an override, time off): the hotline comes back.
            after = (await self._shift(rotation, shift.end))[0] if shift.override else None
            if after is not None and after.member == rotation.current_member:
                zone = (await self._identity.profile(rotation.current_member)).timezone
                back = local_time(shift.end, zone, self._clock())
                text = message(
                    Person(shift.member),
                    " has the ",
                    Name(rotation.name, strong=True),
                    f" hotline until {back}; it comes back to you then.",
                )
            else:
                text = message("Your ", Name(rotation.name, strong=True), " shift has ended. Thank you!")
            await self._post(rotation.current_member, text)

    async def _at_risk(self, rotation: RotationRecord, shift: Shift, now: datetime) -> None:
        async with self._database.session() as session:
            seen = await store.handoff_seen(
                session, rotation_id=rotation.id, kind="at-risk", shift_start=shift.start
            )
            if not seen:
                await store.add_handoff(
                    session,
                    rotation_id=rotation.id,
                    member=shift.member,
                    target="",
                    kind="at-risk",
                    shift_start=shift.start,
                    now=now,
                )
            await store.finish(
                session,
                rotation_id=rotation.id,
                member=rotation.current_member,
                target=rotation.current_target,
                failures=rotation.failures,
                next_try_at=None,
            )
        if not seen:
            await self._post(
                shift.member,
                message(
                    "You are on call for ",
                    Name(rotation.name, strong=True),
                    ", but Switchboard has no number for you. ",
                    how_to_add_a_number(await self.mobile_type_of(shift.member)),
                ),
            )
            await self._post(
                rotation.channel,
                message(
                    Icon.WARNING,
                    "The ",
                    Name(rotation.name),
                    " handoff to ",
                    Person(shift.member),
                    " is at risk: they have no on-call number yet.",
                ),
            )

    async def _failed(
        self, rotation: RotationRecord, shift: Shift, now: datetime, sentence: Message
    ) -> None:
        failures = rotation.failures + 1
        async with self._database.session() as session:
            await store.finish(
                session,
                rotation_id=rotation.id,
                member=rotation.current_member,
                target=rotation.current_target,
                failures=failures,
                next_try_at=now + backoff(failures),
            )
        log.warning("rotation %s: apply failed (%d): %s", rotation.name, failures, plain(sentence))
        if failures == ANNOUNCE_AFTER_FAILURES:
            await self._post(
                rotation.channel,
                message(
                    Icon.WARNING,
                    "Switchboard keeps failing to hand the ",
                    Name(rotation.name),
                    " hotline to ",
                    Person(shift.member),
                    ": ",
                    sentence,
                    " It will keep trying.",
                ),
            )

    async def _post(self, channel: str, text: Message) -> None:
        await self._notifier.post(channel, text)  # failures are reported by the notifier
