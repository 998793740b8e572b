"""Shift reminders: each member hears about an hour before their shift starts.

Checked at every tick for every rotation (no provider call unless one is due), so a shift
that a change makes start within the hour is announced at the next tick. Each reminder is
claimed once across instances (an idempotency key per rotation, member and start).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.domain.notices import Icon, Message, Name, Verbatim, message, plain
from bot.domain.schedule import Override, Shift, on_call
from bot.domain.times import local_time
from bot.errors import said
from bot.phone import shown
from bot.services.identity import Identity
from bot.services.notifier import Notifier
from bot.store import Database, idempotency
from bot.store.rotations import RotationRecord

log = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(hours=1)
NumberOf = Callable[[str], Awaitable[str | None]]
MobileTypeOf = Callable[[str], Awaitable[str | None]]
ONCALL_NUMBER = Verbatim("/oncall number <number>")


def how_to_add_a_number(mobile_type: str | None) -> Message:
    """What someone with no on-call number can do: add a forwarding number of their provider's
    mobile type (`ForwardingNumbers.mobile_type`, RingCentral's Mobile: the on-call default)
    when it has one, or choose a number."""
    if mobile_type is None:
        return message("Set one with ", ONCALL_NUMBER, ".")
    return message(
        f"Add a {mobile_type} forwarding number (",
        Verbatim(f"/forward add <number> {mobile_type.lower()}"),
        ") or set one with ",
        ONCALL_NUMBER,
        ".",
    )


class ShiftReminders:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        notifier: Notifier,
        number_of: NumberOf,
        mobile_type_of: MobileTypeOf,
        region: str = "US",
    ) -> None:
        self._region = region  # SWITCHBOARD_DEFAULT_REGION: how the number is written
        self._database = database
        self._identity = identity
        self._notifier = notifier
        self._number_of = number_of
        self._mobile_type_of = mobile_type_of  # what the advice to someone with none names
        self._sent: set[str] = set()  # this process's claimed keys: no store write per tick

    async def check(
        self, rotation: RotationRecord, current: Shift, overrides: list[Override], now: datetime
    ) -> bool:
        """Remind whoever holds the next shift if it starts within the hour; True if sent."""
        upcoming = on_call(rotation.schedule, current.end, overrides)
        if upcoming.member == current.member or not now < upcoming.start <= now + REMIND_BEFORE:
            return False
        key = f"reminder:{rotation.id}:{upcoming.member}:{upcoming.start.isoformat()}"
        if key in self._sent:
            return False
        self._sent.add(key)
        if not await idempotency.claim(self._database, key=key, action="oncall.reminder", now=now):
            return False
        await self._notifier.post(upcoming.member, await self._text(rotation, upcoming, now))
        return True

    async def _text(self, rotation: RotationRecord, shift: Shift, now: datetime) -> Message:
        zone = (await self._identity.profile(shift.member)).timezone
        minutes = max(1, round((shift.start - now).total_seconds() / 60))
        start = f"{local_time(shift.start, zone, now)} (in {minutes} min)"
        head = message(
            Icon.REMINDER, "Your ", Name(rotation.name, strong=True), f" shift starts at {start}"
        )
        try:
            number = await self._number_of(shift.member)
        except Exception as exc:
            log.warning("reminder: couldn't read the on-call number: %s", plain(said(exc, log)))
            number = None
        if number is None:
            try:
                mobile_type = await self._mobile_type_of(shift.member)
            except Exception as exc:  # then the advice that always works: choose a number
                log.warning("reminder: couldn't read the member's line: %s", plain(said(exc, log)))
                mobile_type = None
            return message(
                head,
                ", but Switchboard has no number for you: the hotline can't reach you. ",
                how_to_add_a_number(mobile_type),
            )
        return message(
            head,
            "; the hotline ",
            Verbatim(rotation.hotline_label),
            " will forward to ",
            Verbatim(shown(number, self._region)),
            ".",
        )
