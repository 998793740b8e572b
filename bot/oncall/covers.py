"""Cover requests: a member asks the rotation's channel for cover; another member takes it.

The store decides who took it (one compare-and-set, with the override, in one transaction),
so two presses at once on two instances make one override; later presses are told it's
taken, a non-member is refused, and a request whose time has passed or that was cancelled
takes no press.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.domain.notices import Verbatim, message
from bot.domain.schedule import Shift
from bot.errors import UserError
from bot.services import audit
from bot.services.actor import Actor
from bot.store import Database
from bot.store import covers as store
from bot.store import rotations as rotation_store
from bot.store.covers import Cover
from bot.store.rotations import RotationRecord

log = logging.getLogger(__name__)
LONGEST = timedelta(days=30)
Outcome = Literal["taken", "already", "expired", "cancelled", "not-member", "own", "gone"]
Schedule = Callable[[RotationRecord, int], Awaitable[list[Shift]]]


class CoverBoard(Protocol):
    async def expired(self, rotation: RotationRecord, cover: Cover) -> None:
        """Show on the request's message that its time has passed."""
        ...


async def sweep(database: Database, board: CoverBoard, now: datetime) -> int:
    """Close open requests whose time has passed and say so on their messages, once across
    instances (the close is a compare-and-set); returns how many."""
    async with database.session() as session:
        due = await store.past(session, now=now)
    closed = 0
    for cover in due:
        async with database.session() as session:
            won = await store.close(session, cover_id=cover.id, status=store.EXPIRED)
            rotation = await rotation_store.get(session, rotation_id=cover.rotation_id)
        if not won:
            continue
        closed += 1
        if rotation is not None and cover.ts:
            try:
                await board.expired(rotation, cover)
            except Exception as exc:
                log.warning("cover request %d: message not updated: %s", cover.id, type(exc).__name__)
    return closed


@dataclass(frozen=True)
class Pressed:
    outcome: Outcome
    cover: Cover | None = None
    rotation: RotationRecord | None = None


class CoverRequests:
    def __init__(self, *, database: Database, schedule: Schedule, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._schedule = schedule
        self._clock = clock

    async def ask(
        self, actor: Actor, rotation: RotationRecord, window: tuple[datetime, datetime] | None
    ) -> Cover:
        """A request for `window`, by default the asker's current (or next) shift."""
        if actor.slack_user_id not in rotation.schedule.members:
            raise UserError(
                message("Only members of ", Verbatim(rotation.name), " can ask it for cover.")
            )
        now = self._clock()
        start, end = window or await self._my_shift(actor.slack_user_id, rotation, now)
        start = max(start, now)
        if end <= start:
            raise UserError("Pick a time in the future to be covered.")
        if end - start > LONGEST:
            raise UserError(
                message(
                    "A cover request is for 30 days at most; for longer, use ",
                    Verbatim("/oncall away"),
                    ".",
                )
            )
        if window is not None:  # cover *me*: only time the asker is on call
            start, end = await self._within_my_shifts(actor.slack_user_id, rotation, start, end, now)
        async with self._database.session() as session:
            cover = await store.add(
                session,
                rotation_id=rotation.id,
                asker=actor.slack_user_id,
                start=start,
                end=end,
                now=now,
            )
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=rotation.hotline,
                action="rotation.cover.ask",
                before=None,
                after={"start": start.isoformat(), "end": end.isoformat()},
                now=now,
            )
        return cover

    async def _my_shift(
        self, member: str, rotation: RotationRecord, now: datetime
    ) -> tuple[datetime, datetime]:
        for shift in await self._schedule(rotation, 30):
            if shift.member == member and shift.end > now:
                return shift.start, shift.end
        raise UserError(
            message(
                "You have no ",
                Verbatim(rotation.name),
                " shift in the next 30 days; say when, e.g. ",
                Verbatim("/oncall cover for 2h"),
                " or ",
                Verbatim("/oncall cover 2026-12-24 to 2026-12-26"),
                ".",
            )
        )

    async def _within_my_shifts(
        self, member: str, rotation: RotationRecord, start: datetime, end: datetime, now: datetime
    ) -> tuple[datetime, datetime]:
        """The window cut to the asker's shifts in it: taking it must not override someone
        else's time."""
        shifts = await self._schedule(rotation, (end - now).days + 2)
        mine = [s for s in shifts if s.member == member and s.start < end and s.end > start]
        if not mine:
            raise UserError(
                message(
                    "You aren't on call on ",
                    Verbatim(rotation.name),
                    " then, so there is nothing to cover; ",
                    Verbatim("/oncall schedule"),
                    " shows your shifts.",
                )
            )
        first, last = max(start, mine[0].start), min(end, mine[-1].end)
        if any(s.member != member and s.start < last and s.end > first for s in shifts):
            raise UserError(
                "Someone else is on call in the middle of that time; ask for cover one shift at a time."
            )
        return first, last

    async def withdraw(self, cover_id: int) -> None:
        """A request that never reached its channel is closed."""
        async with self._database.session() as session:
            await store.close(session, cover_id=cover_id, status=store.CANCELLED)

    async def placed(self, cover_id: int, channel: str, ts: str) -> None:
        async with self._database.session() as session:
            await store.placed(session, cover_id=cover_id, channel=channel, ts=ts)

    async def take(self, actor: Actor, cover_id: int) -> Pressed:
        now = self._clock()
        async with self._database.session() as session:
            cover = await store.get(session, cover_id=cover_id)
            rotation = (
                await rotation_store.get(session, rotation_id=cover.rotation_id) if cover else None
            )
        if cover is None or rotation is None:
            return Pressed("gone")
        if actor.slack_user_id == cover.asker:
            return Pressed("own", cover, rotation)
        if actor.slack_user_id not in rotation.schedule.members:
            return Pressed("not-member", cover, rotation)
        if cover.status == store.CANCELLED:
            return Pressed("cancelled", cover, rotation)
        if cover.status == store.TAKEN:
            return Pressed("already", cover, rotation)
        if cover.end <= now or cover.status == store.EXPIRED:
            async with self._database.session() as session:
                await store.close(session, cover_id=cover.id, status=store.EXPIRED)
            return Pressed("expired", cover, rotation)
        async with self._database.locked(f"cover:{cover.id}") as session:
            won = await store.take(
                session,
                cover_id=cover.id,
                taker=actor.slack_user_id,
                start=max(cover.start, now),
                now=now,
            )
            if won:
                await audit.record(
                    session,
                    actor=actor.slack_user_id,
                    subject=cover.asker,
                    line=rotation.hotline,
                    action="rotation.cover.take",
                    before={"on_call": cover.asker},
                    after={"on_call": actor.slack_user_id, "until": cover.end.isoformat()},
                    now=now,
                )
            taken = await store.get(session, cover_id=cover.id)
        if not won:
            return Pressed("already", taken, rotation)
        return Pressed("taken", taken, rotation)

    async def cancel(self, actor: Actor, rotation: RotationRecord | None) -> list[Cover]:
        """The actor's open requests (on one rotation, or all) are cancelled."""
        now = self._clock()
        ended = []
        async with self._database.session() as session:
            for cover in await store.open_ones(
                session,
                now=now,
                asker=actor.slack_user_id,
                rotation_id=rotation.id if rotation else None,
            ):
                if await store.close(session, cover_id=cover.id, status=store.CANCELLED):
                    ended.append(cover)
        if not ended:
            raise UserError("You have no open cover request; nothing changed.")
        return ended

    async def open_requests(self, rotation_ids: list[int]) -> list[Cover]:
        async with self._database.session() as session:
            found = await store.open_ones(session, now=self._clock())
        return [c for c in found if c.rotation_id in rotation_ids]
