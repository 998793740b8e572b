"""Reading "for 30m | for 2h | for 1d | until 18:00" in the person's own time zone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.domain.times import local_time
from bot.domain.times import zone as to_zone
from bot.errors import UserError

__all__ = ["ends_at", "local_time", "split_when"]

DURATION = re.compile(r"^(\d{1,3})\s*(m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)$")
CLOCK = re.compile(r"^([01]?\d|2[0-3])(?::([0-5]\d))?\s*(am|pm)?$")
UNITS = {"m": "minutes", "h": "hours", "d": "days"}
MAX_SPAN = timedelta(days=30)
USAGE = "Say how long: `for 30m`, `for 2h`, `for 1d` or `until 18:00`."


def split_when(words: list[str]) -> tuple[list[str], list[str]]:
    """Separate the trailing `for …` / `until …` from the rest."""
    for index, word in enumerate(words):
        if word.lower() in ("for", "until"):
            return words[:index], words[index:]
    return words, []


def ends_at(when: list[str], now: datetime, timezone: str | None) -> datetime | None:
    """None without a `for`/`until`; else the aware end time (in the future, ≤ 30 days)."""
    if not when:
        return None
    keyword, text = when[0].lower(), " ".join(when[1:]).strip().lower()
    if keyword == "for":
        match = DURATION.match(text)
        if not match:
            raise UserError(_why_not_a_duration(text))
        span = timedelta(**{UNITS[match.group(2)[0]]: int(match.group(1))})
        end = now + span
    else:
        end = _next_clock(text, now, timezone)
    if not now < end <= now + MAX_SPAN:
        raise UserError("Pick an end between now and 30 days from now.")
    return end


def _next_clock(text: str, now: datetime, timezone: str | None) -> datetime:
    clock = text.removeprefix("tomorrow").strip()
    match = CLOCK.match(clock)
    if not match:
        raise UserError(_why_not_a_time(clock))
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "pm" and hour < 12:
        hour += 12
    if match.group(3) == "am" and hour == 12:
        hour = 0
    zone = to_zone(timezone)
    local = now.astimezone(zone)
    end = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if end <= local or text.startswith("tomorrow"):
        end += timedelta(days=1)
    return end


def _why_not_a_duration(text: str) -> str:
    """Name what is wrong with `for …`, with an example."""
    fraction = re.match(r"^(\d+)[.,](\d+)\s*(h|hr|hrs|hours?)$", text)
    if fraction:
        minutes = round(float(f"{fraction.group(1)}.{fraction.group(2)}") * 60)
        return f"`{text}` isn't a whole number of hours; say `for {minutes}m`."
    if re.match(r"^\d+$", text):
        return f"`for {text}` needs a unit: `for {text}m`, `for {text}h` or `for {text}d`."
    return USAGE


def _why_not_a_time(text: str) -> str:
    clock = re.match(r"^(\d{1,2})(?::(\d{1,2}))?\s*(am|pm)?$", text)
    if clock:
        return f"`{text[:20]}` isn't a time of day (00:00 to 23:59); for example `until 18:00`."
    return USAGE
