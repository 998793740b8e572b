"""The on-call part of the App Home: my next shifts over two weeks, in my time zone; each of
my rotations' escalation and user group; open cover requests I could take."""

from __future__ import annotations

from bot.mrkdwn import escape, mention
from bot.runtime import Runtime
from bot.slack.blocks import Block, button, section
from bot.slack.cover_cards import TAKE
from handlers.shared.home_page import HomeHints
from handlers.shared.when import local_time

ORDER = 20


async def shifts_section(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    """Nothing when I'm in no rotation."""
    now = runtime.clock()
    zone = (await runtime.identity.profile(user_id)).timezone
    rows = []
    mine = [r for r in await runtime.rotations.rotations() if user_id in r.schedule.members]
    for rotation in mine:
        for shift in await runtime.rotations.schedule(rotation):
            if shift.member == user_id:
                rows.append(
                    (
                        shift.start,
                        f"• *{rotation.name}*: {local_time(shift.start, zone, now)} → "
                        f"{local_time(shift.end, zone, now)}",
                    )
                )
    if not mine:
        return []
    blocks: list[Block] = []
    if rows:
        listed = "\n".join(text for _, text in sorted(rows)[:6])
        blocks.append(section(f"*Your upcoming on-call shifts*\n{listed}"))
    settings = []
    for rotation in mine:
        if rotation.escalate_to == "next":
            rings = f"then the next person after {rotation.ring_seconds} s"
        elif rotation.escalate_to:
            rings = f"then {mention(rotation.escalate_to)} after {rotation.ring_seconds} s"
        else:
            rings = "the on-call person alone"
        group = f" · group `@{rotation.group_handle}`" if rotation.group_handle else ""
        settings.append(f"• *{escape(rotation.name)}*: the hotline rings {rings}{group}")
    blocks.append(section("*Your rotations*\n" + "\n".join(settings)))
    covers = await runtime.rotations.covers.open_requests([r.id for r in mine])
    names = {r.id: r.name for r in mine}
    for cover in [c for c in covers if c.asker != user_id][:5]:
        blocks.append(
            section(
                f"{mention(cover.asker)} asks for cover on *{escape(names[cover.rotation_id])}*: "
                f"{local_time(cover.start, zone, now)} → {local_time(cover.end, zone, now)}",
                button("Take it", TAKE, str(cover.id), style="primary"),
            )
        )
    return blocks
