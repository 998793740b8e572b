"""Reading "<from> to <to>" in the person's own time zone: `2026-12-24 to 2026-12-26`,
`tomorrow 09:00 to 18:00`, `today 14:00 to 16:00`. A date alone starts at its midnight, and
as an end includes that whole day."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot.domain.times import zone as to_zone
from bot.errors import UserError

DAY = re.compile(r"^(today|tomorrow|\d{4}-\d{2}-\d{2})$")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
USAGE = "Say when: `2026-12-24 to 2026-12-26`, or `tomorrow 09:00 to 18:00`."


def split_span(words: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """(words before, from, to) around the first `to`, or None when there is none."""
    lowered = [w.lower() for w in words]
    if "to" not in lowered:
        return None
    at = lowered.index("to")
    before = lowered[:at]
    # the "from" is the trailing day and/or clock words before `to`
    start = len(before)
    while start > 0 and (DAY.match(before[start - 1]) or CLOCK.match(before[start - 1])):
        start -= 1
    return words[:start], before[start:], lowered[at + 1 :]


def span(
    from_words: list[str], to_words: list[str], now: datetime, timezone: str | None
) -> tuple[datetime, datetime]:
    where = to_zone(timezone)
    today = now.astimezone(where).date()
    start_day, start_clock = _read(from_words, today)
    end_day, end_clock = _read(to_words, today)
    first_day = start_day or today
    start = datetime.combine(first_day, start_clock or time(0), tzinfo=where)
    if end_clock is None:  # an end date includes its whole day
        end = datetime.combine((end_day or first_day) + timedelta(days=1), time(0), tzinfo=where)
    else:
        end = datetime.combine(end_day or first_day, end_clock, tzinfo=where)
        if end <= start and end_day is None:
            end += timedelta(days=1)
    if end <= start:
        raise UserError("The end comes before the start. " + USAGE)
    return start, end


def _read(words: list[str], today: date) -> tuple[date | None, time | None]:
    if not words or len(words) > 2:
        raise UserError(USAGE)
    day: date | None = None
    clock: time | None = None
    for word in words:
        if DAY.match(word):
            if word == "today":
                day = today
            elif word == "tomorrow":
                day = today + timedelta(days=1)
            else:
                try:
                    day = date.fromisoformat(word)
                except ValueError:
                    raise UserError(f"`{word}` isn't a date. {USAGE}") from None
        elif found := CLOCK.match(word):
            clock = time(int(found.group(1)), int(found.group(2)))
        else:
            raise UserError(f"`{word[:20]}` isn't a date or a time. {USAGE}")
    return day, clock
