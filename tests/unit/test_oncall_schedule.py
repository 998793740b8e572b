"""Rotation math: one person at every instant, shift lengths, overrides, DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.schedule import Override, Rotation, boundary, on_call, scheduled, shift_index, timeline

ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC", "Australia/Lord_Howe"]


rotations = st.builds(
    Rotation,
    members=st.lists(st.sampled_from(["U1", "U2", "U3", "U4"]), min_size=1, max_size=4).map(tuple),
    shift_type=st.sampled_from(["hourly", "daily", "weekly"]),
    shift_length=st.integers(min_value=1, max_value=3),
    handoff=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    timezone=st.sampled_from(ZONES),
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
)
instants = st.datetimes(min_value=datetime(2023, 6, 1), max_value=datetime(2028, 6, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@settings(max_examples=300, deadline=None)
@given(rotation=rotations, instant=instants)
def test_every_instant_lies_in_exactly_one_shift(rotation: Rotation, instant: datetime) -> None:
    k = shift_index(rotation, instant)
    assert boundary(rotation, k) <= instant < boundary(rotation, k + 1)
    shift = scheduled(rotation, instant)
    assert shift.member == rotation.members[k % len(rotation.members)]


@settings(max_examples=200, deadline=None)
@given(rotation=rotations, k=st.integers(min_value=-500, max_value=500))
def test_shift_lengths_match_the_rotation_up_to_dst(rotation: Rotation, k: int) -> None:
    length = boundary(rotation, k + 1) - boundary(rotation, k)
    unit = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
    expected = unit[rotation.shift_type] * rotation.shift_length
    if rotation.shift_type == "hourly":
        assert length == expected
    else:
        assert abs(length - expected) <= timedelta(hours=1)  # a DST change inside the shift


@settings(max_examples=150, deadline=None)
@given(
    rotation=rotations,
    start=instants,
    hours=st.integers(min_value=1, max_value=24 * 21),
    overrides=st.lists(
        st.tuples(st.sampled_from(["O1", "O2"]), st.integers(0, 24 * 21), st.integers(1, 72)), max_size=3
    ),
)
def test_timeline_covers_the_window_without_gaps_and_overrides_win(
    rotation: Rotation, start: datetime, hours: int, overrides: list[tuple[str, int, int]]
) -> None:
    end = start + timedelta(hours=hours)
    taken = [
        Override(m, start + timedelta(hours=a), start + timedelta(hours=a + n)) for m, a, n in overrides
    ]
    shifts = timeline(rotation, start, end, taken)
    assert shifts[0].start == start
    assert shifts[-1].end == end
    for left, right in itertools.pairwise(shifts):
        assert left.end == right.start
    for shift in shifts:
        middle = shift.start + (shift.end - shift.start) / 2
        assert on_call(rotation, middle, taken).member == shift.member
        covering = [o for o in taken if o.start <= middle < o.end]
        if covering:
            assert shift.member == covering[-1].member


def _local_handoffs(rotation: Rotation, first: int, count: int) -> list[datetime]:
    return [
        boundary(rotation, k).astimezone(ZoneInfo(rotation.timezone))
        for k in range(first, first + count)
    ]


def test_daily_handoff_keeps_local_time_across_new_york_dst() -> None:
    rotation = Rotation(("A", "B"), "daily", 1, time(9, 0), "America/New_York", date(2026, 3, 1))
    for moment in _local_handoffs(rotation, 0, 14) + _local_handoffs(
        rotation, 240, 14
    ):  # March and November
        assert (moment.hour, moment.minute) == (9, 0)
    spring = boundary(rotation, 7) - boundary(rotation, 6)  # 7 → 8 March 2026 (clocks forward): 23 h
    fall = boundary(rotation, 245) - boundary(rotation, 244)  # 31 Oct → 1 Nov 2026 (back): 25 h
    assert (spring, fall) == (timedelta(hours=23), timedelta(hours=25))


def test_weekly_handoff_in_berlin_neither_skips_nor_doubles() -> None:
    rotation = Rotation(("A", "B", "C"), "weekly", 1, time(2, 30), "Europe/Berlin", date(2026, 3, 1))
    around_change = sorted(
        [boundary(rotation, 4) - boundary(rotation, 3), boundary(rotation, 5) - boundary(rotation, 4)]
    )
    assert around_change == [
        timedelta(days=7, hours=-1),
        timedelta(days=7),
    ]  # 29 March: one hour less, once
    members = [
        scheduled(rotation, boundary(rotation, k) + timedelta(minutes=1)).member for k in range(6)
    ]
    assert members == ["A", "B", "C", "A", "B", "C"]
    autumn = Rotation(("A", "B"), "weekly", 1, time(2, 30), "Europe/Berlin", date(2026, 10, 18))
    assert boundary(autumn, 2) - boundary(autumn, 1) == timedelta(days=7, hours=1)


def test_handoff_at_a_nonexistent_local_time_still_hands_off_once() -> None:
    rotation = Rotation(("A", "B"), "daily", 1, time(2, 30), "America/New_York", date(2026, 3, 7))
    starts = [boundary(rotation, k) for k in range(4)]
    assert starts == sorted(set(starts))  # strictly increasing: nothing skipped or doubled


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin"])
@pytest.mark.parametrize("kind", ["daily", "weekly"])
@pytest.mark.parametrize("season", ["spring", "fall"])
def test_handoffs_keep_wall_clock_time_through_each_change(zone: str, kind: str, season: str) -> None:
    """Over the weeks around each 2026 change: same local handoff time, one hour less or more once."""
    first = date(2026, 3, 1) if season == "spring" else date(2026, 10, 18)
    rotation = Rotation(("A", "B", "C"), kind, 1, time(9, 0), zone, first)  # type: ignore[arg-type]
    count = 30 if kind == "daily" else 5
    starts = [boundary(rotation, k) for k in range(count + 1)]
    local = [s.astimezone(ZoneInfo(zone)) for s in starts]
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    nominal = timedelta(days=1 if kind == "daily" else 7)
    odd = [b - a for a, b in itertools.pairwise(starts) if b - a != nominal]
    assert odd == [nominal + (timedelta(hours=-1) if season == "spring" else timedelta(hours=1))]
    holders = [scheduled(rotation, s + timedelta(minutes=1)).member for s in starts]
    assert holders == [("A", "B", "C")[k % 3] for k in range(count + 1)]  # nobody skipped or doubled
