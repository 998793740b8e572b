"""Rotations, their members, overrides, on-call numbers and handoff history."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.records import RotationRecord as RotationRecord  # re-exported: store callers keep it
from bot.domain.schedule import Override, Rotation, timeline
from bot.store import time_off as time_off_store
from bot.store.db import Database
from bot.store.models import HandoffRow, OncallNumber, OverrideRow, RotationMember, RotationRow

LEASE = timedelta(seconds=60)
CHANGED = "?"


def _record(row: RotationRow, members: list[str]) -> RotationRecord:
    hour, minute = (int(x) for x in row.handoff.split(":"))
    schedule = Rotation(
        members=tuple(members),
        shift_type=row.shift_type,  # type: ignore[arg-type]
        shift_length=row.shift_length,
        handoff=time(hour, minute),
        timezone=row.timezone,
        start=date.fromisoformat(row.start_date),
    )
    return RotationRecord(
        id=row.id,
        name=row.name,
        hotline=row.hotline,
        hotline_label=row.hotline_label,
        channel=row.channel,
        schedule=schedule,
        current_member=row.current_member,
        current_target=row.current_target,
        failures=row.failures,
        next_try_at=row.next_try_at,
        checked_at=row.checked_at,
        escalate_to=row.escalate_to or "",
        ring_seconds=row.ring_seconds or 20,
        current_backup=row.current_backup or "",
        group_handle=row.group_handle or "",
        group_id=row.group_id or "",
        group_member=row.group_member or "",
    )


async def _members(session: AsyncSession, rotation_id: int) -> list[str]:
    rows = await session.scalars(
        select(RotationMember)
        .where(RotationMember.rotation_id == rotation_id)
        .order_by(RotationMember.position)
    )
    return [r.slack_user_id for r in rows]


async def save(
    session: AsyncSession, *, fields: dict[str, Any], members: list[str], by: str, now: datetime
) -> int:
    """Create the rotation, or update the one with the same name (members replaced)."""
    row = await session.scalar(select(RotationRow).where(RotationRow.name == fields["name"]))
    if row is None:
        row = RotationRow(
            created_by=by, created_at=now, current_member="", current_target="", failures=0, **fields
        )
        session.add(row)
        await session.flush()
    else:
        if row.hotline != fields["hotline"]:  # a new hotline starts with no holder recorded
            row.current_member, row.current_target, row.failures = "", "", 0
        for key, value in fields.items():
            setattr(row, key, value)
        await session.execute(delete(RotationMember).where(RotationMember.rotation_id == row.id))
    for position, member in enumerate(members):
        session.add(RotationMember(rotation_id=row.id, position=position, slack_user_id=member))
    return int(row.id)


async def remove(session: AsyncSession, *, rotation_id: int) -> None:
    """Delete a rotation with its members, overrides and handoff history."""
    for table in (RotationMember, OverrideRow, HandoffRow):
        await session.execute(delete(table).where(table.rotation_id == rotation_id))
    await session.execute(delete(RotationRow).where(RotationRow.id == rotation_id))


async def all_rotations(session: AsyncSession) -> list[RotationRecord]:
    rows = list(await session.scalars(select(RotationRow).order_by(RotationRow.name)))
    return [_record(r, await _members(session, r.id)) for r in rows]


async def get(session: AsyncSession, *, rotation_id: int) -> RotationRecord | None:
    row = await session.get(RotationRow, rotation_id)
    return _record(row, await _members(session, row.id)) if row else None


async def of_hotline(session: AsyncSession, *, line: str) -> RotationRecord | None:
    """The rotation whose hotline `line` is (one at most: a unique index), in one indexed
    read: a webhook notification for any line asks this, never every rotation."""
    row = await session.scalar(select(RotationRow).where(RotationRow.hotline == line))
    return _record(row, await _members(session, row.id)) if row else None


async def is_hotline(session: AsyncSession, *, line: str) -> bool:
    return await hotline_owner(session, line=line) is not None


async def hotline_owner(session: AsyncSession, *, line: str) -> str | None:
    """The name of the rotation whose hotline `line` is (one at most)."""
    return await session.scalar(select(RotationRow.name).where(RotationRow.hotline == line))


async def overrides(session: AsyncSession, *, rotation_id: int, since: datetime) -> list[Override]:
    """The rotation's overrides ending after `since`, oldest first (the newest covering one
    wins), preceded by the covers time off makes (so any override someone takes wins)."""
    rows = await session.scalars(
        select(OverrideRow)
        .where(OverrideRow.rotation_id == rotation_id, OverrideRow.ends_at > since)
        .order_by(OverrideRow.id)
    )
    taken = [Override(r.member, r.starts_at, r.ends_at) for r in rows]
    return [*await _time_off_covers(session, rotation_id, since), *taken]


async def _time_off_covers(session: AsyncSession, rotation_id: int, since: datetime) -> list[Override]:
    """Each scheduled shift of someone away, for the time they are away: the next member in
    order who isn't away then (nobody, when everyone is)."""
    row = await session.get(RotationRow, rotation_id)
    if row is None:
        return []
    schedule = _record(row, await _members(session, rotation_id)).schedule
    away = await time_off_store.of(session, members=schedule.members, since=since)
    covers: list[Override] = []
    for gone in away:
        for shift in timeline(schedule, max(gone.start, since), gone.end, []):
            if shift.member != gone.member:
                continue
            busy = {a.member for a in away if a.start <= shift.start < a.end}
            at = schedule.members.index(gone.member)
            ring = schedule.members[at + 1 :] + schedule.members[:at]
            cover = next((m for m in ring if m not in busy), None)
            if cover is not None:
                covers.append(Override(cover, shift.start, shift.end))
    return covers


async def add_override(
    session: AsyncSession, *, rotation_id: int, override: Override, by: str, now: datetime
) -> None:
    session.add(
        OverrideRow(
            rotation_id=rotation_id,
            member=override.member,
            starts_at=override.start,
            ends_at=override.end,
            created_by=by,
            created_at=now,
        )
    )


async def end_override(session: AsyncSession, *, rotation_id: int, member: str, now: datetime) -> int:
    """End the member's overrides running at `now` (they end now); how many were running."""
    result = await session.execute(
        update(OverrideRow)
        .where(OverrideRow.rotation_id == rotation_id, OverrideRow.member == member)
        .where(OverrideRow.starts_at <= now, OverrideRow.ends_at > now)
        .values(ends_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def oncall_number(session: AsyncSession, *, slack_user_id: str) -> str | None:
    row = await session.get(OncallNumber, slack_user_id)
    return row.number if row else None


async def set_oncall_number(session: AsyncSession, *, slack_user_id: str, number: str) -> None:
    row = await session.get(OncallNumber, slack_user_id)
    if row is None:
        session.add(OncallNumber(slack_user_id=slack_user_id, number=number))
    else:
        row.number = number


async def claim(
    database: Database,
    *,
    rotation_id: int,
    now: datetime,
    unless_checked_for: tuple[str, datetime] | None = None,
) -> bool:
    """Lease the rotation to this instance for one reconcile (False: another holds it).

    `unless_checked_for=(member, since)`: not when the hotline was already read back since
    `since` while `member` held it (another instance did it this tick, or a drift check is
    not due yet).
    """
    query = (
        update(RotationRow)
        .where(RotationRow.id == rotation_id)
        .where((RotationRow.lease_until.is_(None)) | (RotationRow.lease_until < now))
        .where((RotationRow.next_try_at.is_(None)) | (RotationRow.next_try_at <= now))
        .values(lease_until=now + LEASE)
    )
    if unless_checked_for is not None:
        member, since = unless_checked_for
        query = query.where(
            or_(
                RotationRow.checked_at.is_(None),
                RotationRow.checked_at < since,
                RotationRow.current_member != member,
            )
        )
    async with database.locked(f"rotation:{rotation_id}") as session:
        result = await session.execute(query)
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_escalation(
    session: AsyncSession, *, rotation_id: int, escalate_to: str, ring_seconds: int
) -> None:
    """Who is rung when the on-call person doesn't answer; the hotline is read at the next tick."""
    await session.execute(
        update(RotationRow)
        .where(RotationRow.id == rotation_id)
        .values(
            escalate_to=escalate_to,
            ring_seconds=ring_seconds,
            checked_at=None,
            current_backup=CHANGED,  # the next reconcile writes it, quietly (no drift notice)
        )
    )


async def set_group(session: AsyncSession, *, rotation_id: int, handle: str, group_id: str) -> None:
    """Keep (or, with "", stop keeping) a user group; its members are set at the next follow."""
    await session.execute(
        update(RotationRow)
        .where(RotationRow.id == rotation_id)
        .values(group_handle=handle, group_id=group_id, group_member="")
    )


async def claim_group(database: Database, *, rotation_id: int, was: str, now_member: str) -> bool:
    """Compare-and-set of whom the group holds: True for the one instance that moves it."""
    async with database.session() as session:
        result = await session.execute(
            update(RotationRow)
            .where(RotationRow.id == rotation_id, RotationRow.group_member == was)
            .where(RotationRow.group_id != "")
            .values(group_member=now_member)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def check_soon(session: AsyncSession, *, member: str) -> None:
    """The member's on-call number changed: read back the hotlines they hold at the next tick."""
    await session.execute(
        update(RotationRow).where(RotationRow.current_member == member).values(checked_at=None)
    )


async def finish(
    session: AsyncSession,
    *,
    rotation_id: int,
    member: str,
    target: str,
    failures: int,
    next_try_at: datetime | None,
    checked_at: datetime | None = None,
    backup: str | None = None,
) -> None:
    """`backup`: the backup's number now applied ("" none); None leaves it as it was."""
    extra = {} if backup is None else {"current_backup": backup}
    await session.execute(
        update(RotationRow)
        .where(RotationRow.id == rotation_id)
        .values(
            **extra,
            current_member=member,
            current_target=target,
            failures=failures,
            next_try_at=next_try_at,
            lease_until=None,
            checked_at=checked_at,
        )
    )


async def add_handoff(
    session: AsyncSession,
    *,
    rotation_id: int,
    member: str,
    target: str,
    kind: str,
    shift_start: datetime,
    now: datetime,
) -> None:
    session.add(
        HandoffRow(
            rotation_id=rotation_id,
            member=member,
            target=target,
            kind=kind,
            shift_start=shift_start,
            at=now,
        )
    )


async def handoff_seen(
    session: AsyncSession, *, rotation_id: int, kind: str, shift_start: datetime
) -> bool:
    found = await session.scalar(
        select(HandoffRow.id).where(
            HandoffRow.rotation_id == rotation_id,
            HandoffRow.kind == kind,
            HandoffRow.shift_start == shift_start,
        )
    )
    return found is not None


async def handoffs(session: AsyncSession, *, rotation_id: int) -> list[HandoffRow]:
    return list(
        await session.scalars(
            select(HandoffRow).where(HandoffRow.rotation_id == rotation_id).order_by(HandoffRow.id)
        )
    )
