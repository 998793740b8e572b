"""Private calendar feeds of on-call shifts (RFC 5545, written by the `icalendar` library).

`SWITCHBOARD_PUBLIC_URL/calendar/<secret>.ics`: a person's own shifts in every rotation, or
one rotation's shifts, for the next 90 days with overrides applied; one VEVENT per shift,
times in UTC, the rotation in the SUMMARY, and a UID that stays the same for the same shift
(rotation, member, start), so calendar apps update rather than duplicate. The secret is
shown once and kept only as its SHA-256; a reset (or an unknown address) answers 404.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain.notices import Verbatim, message
from bot.domain.schedule import Shift
from bot.errors import UserError
from bot.services import audit
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.store import Database
from bot.store import calendars as store
from bot.store import rotations as rotation_store
from bot.store.rotations import RotationRecord

if TYPE_CHECKING:  # icalendar is loaded when a feed is first read, not at every start
    from icalendar import Event

DAYS = 90
Schedule = Callable[[RotationRecord, int], Awaitable[list[Shift]]]


class CalendarFeeds:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        schedule: Schedule,
        clock: Callable[[], datetime],
    ) -> None:
        self._database = database
        self._identity = identity
        self._schedule = schedule
        self._clock = clock

    async def address(self, actor: Actor, rotation: RotationRecord | None, *, reset: bool) -> str | None:
        """A new secret for the actor's feed (of `rotation`, or of their own shifts); None when
        one exists and `reset` is not asked (its address was shown once and isn't kept)."""
        if rotation is not None and not (
            actor.is_admin or actor.slack_user_id in rotation.schedule.members
        ):
            raise UserError(
                message(
                    "Only admins and members of ", Verbatim(rotation.name), " can follow its shifts."
                )
            )
        scope = rotation.id if rotation is not None else 0
        now = self._clock()
        async with self._database.session() as session:
            found = await store.existing(session, slack_user_id=actor.slack_user_id, rotation_id=scope)
            if found is not None and not reset:
                return None
            secret = secrets.token_urlsafe(24)
            await store.replace(
                session, slack_user_id=actor.slack_user_id, rotation_id=scope, secret=secret, now=now
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline if rotation else "-",
                action="oncall.calendar.reset" if found else "oncall.calendar",
                before=None,
                after={"rotation": rotation.name if rotation else "mine"},
                now=now,
            )
        return secret

    async def ics(self, secret: str) -> bytes | None:
        """The feed's calendar, or None for an unknown (or reset) address."""
        async with self._database.session() as session:
            feed = await store.find(session, secret=secret)
            if feed is None:
                return None
            rotations = await rotation_store.all_rotations(session)
        if feed.rotation_id:
            chosen = [r for r in rotations if r.id == feed.rotation_id]
            if not chosen:
                return None  # the rotation was deleted
            title = f"On call: {chosen[0].name}"
        else:
            chosen = [r for r in rotations if feed.slack_user_id in r.schedule.members]
            title = "My on-call shifts"
        from icalendar import Calendar

        calendar = Calendar()
        calendar.add("prodid", "-//Switchboard//On-call shifts//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", title)
        stamp = self._clock().astimezone(UTC).replace(microsecond=0)
        horizon = self._clock() + timedelta(days=DAYS)
        for rotation in chosen:
            for shift in await self._schedule(rotation, DAYS):
                if shift.start >= horizon:
                    continue
                if not feed.rotation_id and shift.member != feed.slack_user_id:
                    continue
                calendar.add_component(
                    await self._event(rotation, shift, stamp, mine=not feed.rotation_id)
                )
        return bytes(calendar.to_ical())

    async def _event(
        self, rotation: RotationRecord, shift: Shift, stamp: datetime, *, mine: bool
    ) -> Event:
        from icalendar import Event

        event = Event()
        start = shift.start.astimezone(UTC).replace(microsecond=0)
        event.add("uid", f"{rotation.id}-{shift.member}-{int(start.timestamp())}@switchboard")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", shift.end.astimezone(UTC).replace(microsecond=0))
        taken = " (override)" if shift.override else ""
        if mine:
            event.add("summary", f"On call: {rotation.name}{taken}")
        else:
            name = (await self._identity.profile(shift.member)).name or shift.member
            event.add("summary", f"{rotation.name}: {name}{taken}")
        event.add("description", f"Hotline {rotation.hotline_label}")
        event.add("transp", "TRANSPARENT")
        return event
