"""Times as a person reads them: in their own zone, short when it is today."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone, UTC when unknown or missing."""
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def local_time(moment: datetime, timezone: str | None, now: datetime) -> str:
    """18:00, or Tue 08 Dec 18:00 when not today, in the person's zone."""
    where = zone(timezone)
    local = moment.astimezone(where)
    if local.date() == now.astimezone(where).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")
