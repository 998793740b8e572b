"""The on-call part of the App Home: my next shifts over two weeks, in my time zone."""

from __future__ import annotations

from bot.runtime import Runtime
from bot.slack.blocks import Block, section
from handlers.shared.home_page import HomeHints
from handlers.shared.when import local_time

ORDER = 20


async def shifts_section(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    """Nothing when I'm in no rotation."""
    now = runtime.clock()
    zone = (await runtime.identity.profile(user_id)).timezone
    rows = []
    for rotation in await runtime.rotations.rotations():
        if user_id not in rotation.schedule.members:
            continue
        for shift in await runtime.rotations.schedule(rotation):
            if shift.member == user_id:
                rows.append(
                    (
                        shift.start,
                        f"• *{rotation.name}*: {local_time(shift.start, zone, now)} → "
                        f"{local_time(shift.end, zone, now)}",
                    )
                )
    if not rows:
        return []
    listed = "\n".join(text for _, text in sorted(rows)[:6])
    return [section(f"*Your upcoming on-call shifts*\n{listed}")]
