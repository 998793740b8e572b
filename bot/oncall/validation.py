"""What a rotation must be before it is saved: a name, members, a shift, a zone, a hotline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.notices import Verbatim, message
from bot.errors import UserError
from bot.oncall.hotlines import HotlineCheck

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
HANDOFF = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class RotationSpec:
    name: str
    hotline: str  # as typed: an extension number or smspartner:<number>
    members: list[str]
    shift_type: str
    shift_length: int
    handoff: str
    timezone: str
    channel: str


async def validated(
    spec: RotationSpec, *, hotlines: HotlineCheck, now: datetime, rotation_id: int | None
) -> dict[str, object]:
    """The rotation's stored fields, or UserError naming what is wrong."""
    if not NAME.match(spec.name.lower()):
        raise UserError(
            message(
                "A rotation name is one word: letters, digits, - or _ (e.g. ", Verbatim("support"), ")."
            )
        )
    if not spec.members:
        raise UserError("A rotation needs at least one member.")
    if spec.shift_type not in ("hourly", "daily", "weekly") or not 1 <= spec.shift_length <= 24:
        raise UserError("Shifts are hourly, daily or weekly, 1 to 24 of them long.")
    if not HANDOFF.match(spec.handoff):
        raise UserError(message("The handoff time looks like ", Verbatim("09:00"), "."))
    try:
        zone = ZoneInfo(spec.timezone)
    except (KeyError, ValueError):
        raise UserError(
            message("The time zone must be an IANA name such as ", Verbatim("Europe/Paris"), ".")
        ) from None
    hotline, label = await hotlines.resolve(spec.hotline, rotation_id=rotation_id)
    hour, minute = spec.handoff.split(":")
    local = now.astimezone(zone)
    # The first member is on call from the moment the rotation is saved: before today's
    # handoff, the first shift is the one that began at yesterday's.
    before_handoff = local.time() < time(int(hour), int(minute))
    start = local.date() - timedelta(days=1) if before_handoff else local.date()
    return {
        "name": spec.name.lower(),
        "hotline": hotline,
        "hotline_label": label,
        "shift_type": spec.shift_type,
        "shift_length": spec.shift_length,
        "handoff": f"{int(hour):02d}:{minute}",
        "timezone": spec.timezone,
        "start_date": start.isoformat(),
        "channel": spec.channel,
    }
