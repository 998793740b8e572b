"""Issue 28: a private calendar feed of on-call shifts, read back with `icalendar`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select

from bot.oncall.service import RotationService
from bot.services.actor import Actor
from bot.store.calendars import CalendarFeedRow
from tests.helpers.harness import Harness, user_id
from tests.helpers.oncall import create_rotation

FEED = re.compile(r"(http://\S+/calendar/([A-Za-z0-9_-]+)\.ics)")


def events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "uid": str(e["UID"]),
            "start": e.decoded("DTSTART"),
            "end": e.decoded("DTEND"),
            "summary": str(e["SUMMARY"]),
        }
        for e in calendar.walk("VEVENT")
    ]


async def test_my_feed_lists_my_shifts_and_a_reset_retires_the_old_address(bot: Harness) -> None:
    await create_rotation(bot)
    reply = await bot.command("alice", "/oncall", "calendar")
    found = FEED.search(reply.text)
    assert found is not None, reply.text
    url, secret = found.groups()
    assert [c.args.get("response_type") for c in reply.calls if c.method == "response_url"] == [
        "ephemeral"
    ]
    answer = await bot.http.get(url)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    shifts = events(answer.content)
    assert 44 <= len(shifts) <= 46  # alice every other day, 90 days
    assert all(s["summary"] == "On call: support" for s in shifts)
    lines = answer.text.splitlines()
    assert all(x.endswith("Z") for x in lines if x.startswith(("DTSTART", "DTEND")))  # UTC
    assert shifts[-1]["start"] < datetime.now(UTC) + timedelta(days=90)  # type: ignore[operator]
    again = events((await bot.http.get(url)).content)
    assert [s["uid"] for s in again] == [s["uid"] for s in shifts]  # stable UIDs

    # A take shows at once, as an override, and the other shifts keep their UIDs.
    await bot.command("alice", "/oncall", "take for 1h")
    taken = events((await bot.http.get(url)).content)
    assert {s["uid"] for s in shifts[1:]} <= {s["uid"] for s in taken}

    # The address is shown once, and stored only as a hash.
    twice = await bot.command("alice", "/oncall", "calendar")
    assert "shown only once" in twice.text
    async with bot.runtime.database.session() as session:
        rows = list(await session.scalars(select(CalendarFeedRow)))
    assert [r.slack_user_id for r in rows] == [user_id("alice")]
    assert secret not in repr([(r.secret_hash, r.slack_user_id) for r in rows])

    reset = await bot.command("alice", "/oncall", "calendar reset")
    assert "The old address no longer works" in reset.text
    assert (await bot.http.get(url)).status_code == 404
    new = FEED.search(reset.text)
    assert new is not None
    assert (await bot.http.get(new.group(1))).status_code == 200
    assert (await bot.http.get(f"{bot.url}/calendar/{'x' * 32}.ics")).status_code == 404


async def test_a_rotations_feed_names_each_person_and_is_for_members(bot: Harness) -> None:
    await create_rotation(bot)
    refused = await bot.command("carol", "/oncall", "calendar support")
    assert "Only admins and members of `support`" in refused.text
    reply = await bot.command("bob", "/oncall", "calendar support")
    found = FEED.search(reply.text)
    assert found is not None
    shifts = events((await bot.http.get(found.group(1))).content)
    assert 89 <= len(shifts) <= 91
    assert {s["summary"] for s in shifts} == {"support: Alice Martin", "support: Bob Chen"}
    await bot.command("admin", "/oncall", "delete support")
    assert (await bot.http.get(found.group(1))).status_code == 404


async def test_the_feed_keeps_local_handoffs_across_a_dst_change(bot: Harness) -> None:
    """US clocks go forward on 14 March 2027: the 09:00 Los Angeles handoff moves from 17:00
    to 16:00 UTC, and the feed (in UTC) says so."""
    await create_rotation(bot, handoff="09:00")
    march = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
    runtime = bot.runtime
    service = RotationService(
        database=runtime.database,
        identity=runtime.identity,
        clock=lambda: march,
        destinations=runtime.destinations,
        virtual_numbers=frozenset(),
        specs=runtime.providers.specs,
        toggles=runtime.toggles,
    )
    secret = await service.calendars.address(Actor(user_id("alice"), False), None, reset=False)
    assert secret is not None
    body = await service.calendars.ics(secret)
    assert body is not None
    starts = [s["start"] for s in events(body)]
    before = [s for s in starts if s < datetime(2027, 3, 14, tzinfo=UTC)]  # type: ignore[operator]
    after = [s for s in starts if s > datetime(2027, 3, 15, tzinfo=UTC)]  # type: ignore[operator]
    assert before
    assert after
    assert {s.hour for s in before} == {17}  # type: ignore[attr-defined]
    assert {s.hour for s in after} == {16}  # type: ignore[attr-defined]
