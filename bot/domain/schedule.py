"""Who is on call when: rotations in local wall-clock time, overrides on top.

Daily and weekly shifts hand off at the same local time every time (so a shift across a
DST change is an hour shorter or longer, never skipped or doubled); hourly shifts are
real elapsed hours. Shift k covers [boundary(k), boundary(k+1)); member k mod n holds it.
An override covers [start, end) and wins; the newest override wins among overlapping ones.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

ShiftType = Literal["hourly", "daily", "weekly"]


@dataclass(frozen=True)
class Rotation:
    members: tuple[str, ...]
    shift_type: ShiftType
    shift_length: int  # units of shift_type per shift
    handoff: time  # local wall-clock time of handoffs (daily/weekly); the start time (hourly)
    timezone: str
    start: date  # the first shift begins on this local date at `handoff`

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Override:
    member: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Shift:
    member: str
    start: datetime
    end: datetime
    override: bool = False


def _anchor(rotation: Rotation) -> datetime:
    return datetime.combine(rotation.start, rotation.handoff, tzinfo=rotation.zone)


def boundary(rotation: Rotation, k: int) -> datetime:
    """Start of shift k, as an aware UTC instant."""
    anchor = _anchor(rotation)
    if rotation.shift_type == "hourly":
        return anchor.astimezone(UTC) + timedelta(hours=k * rotation.shift_length)
    days = k * rotation.shift_length * (7 if rotation.shift_type == "weekly" else 1)
    local = datetime.combine(
        rotation.start + timedelta(days=days), rotation.handoff, tzinfo=rotation.zone
    )
    return local.astimezone(UTC)


def shift_index(rotation: Rotation, instant: datetime) -> int:
    """The k with boundary(k) <= instant < boundary(k+1)."""
    if rotation.shift_type == "hourly":
        elapsed = instant.astimezone(UTC) - _anchor(rotation).astimezone(UTC)
        return int(elapsed // timedelta(hours=rotation.shift_length))
    period = rotation.shift_length * (7 if rotation.shift_type == "weekly" else 1)
    local = instant.astimezone(rotation.zone)
    k = (local.date() - rotation.start).days // period
    while boundary(rotation, k) > instant:  # before today's handoff (or a DST-shifted one)
        k -= 1
    while boundary(rotation, k + 1) <= instant:
        k += 1
    return k


def scheduled(rotation: Rotation, instant: datetime) -> Shift:
    k = shift_index(rotation, instant)
    member = rotation.members[k % len(rotation.members)]
    return Shift(member, boundary(rotation, k), boundary(rotation, k + 1))


def on_call(rotation: Rotation, instant: datetime, overrides: list[Override]) -> Shift:
    """Who holds the hotline at `instant`: the newest covering override, else the schedule."""
    for override in reversed(overrides):
        if override.start <= instant < override.end:
            return Shift(override.member, override.start, override.end, override=True)
    return scheduled(rotation, instant)


def timeline(
    rotation: Rotation, start: datetime, end: datetime, overrides: list[Override]
) -> list[Shift]:
    """Consecutive shifts covering [start, end), overrides cut in, neighbours merged."""
    cuts = {start, end}
    k = shift_index(rotation, start)
    while boundary(rotation, k) < end:
        cuts.add(max(start, boundary(rotation, k)))
        k += 1
    for override in overrides:
        for moment in (override.start, override.end):
            if start < moment < end:
                cuts.add(moment)
    points = sorted(cuts)
    shifts: list[Shift] = []
    for left, right in itertools.pairwise(points):
        holder = on_call(rotation, left, overrides)
        if shifts and shifts[-1].member == holder.member and shifts[-1].override == holder.override:
            shifts[-1] = Shift(holder.member, shifts[-1].start, right, holder.override)
        else:
            shifts.append(Shift(holder.member, left, right, holder.override))
    return shifts
