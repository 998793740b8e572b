"""`/oncall calendar [rotation]` and `/oncall calendar reset [rotation]`: a private calendar
feed of my shifts (or a rotation's), shown once, only to me."""

from __future__ import annotations

from bot.errors import UserError
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.respond import Respond

USAGE = "Usage: `/oncall calendar [rotation]` or `/oncall calendar reset [rotation]`."
NO_URL = (
    "Calendar feeds need Switchboard's public address (`SWITCHBOARD_PUBLIC_URL`); ask an admin "
    "to set it."
)


async def calendar(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    reset = bool(rest) and rest[0].lower() == "reset"
    words = rest[1:] if reset else rest
    if len(words) > 1:
        raise UserError(USAGE)
    base = (runtime.settings.switchboard_public_url or runtime.sign_in.public_url or "").rstrip("/")
    if not base:
        raise UserError(NO_URL)
    rotation = await runtime.rotations.pick(words[0], actor.slack_user_id) if words else None
    whose = f"*{rotation.name}*'s shifts" if rotation else "your on-call shifts"
    scope = f" {rotation.name}" if rotation else ""
    secret = await runtime.rotations.calendars.address(actor, rotation, reset=reset)
    if secret is None:
        raise UserError(
            f"You already have a calendar feed of {whose}; its address is shown only once. "
            f"`/oncall calendar reset{scope}` gives a new one (the old one stops working)."
        )
    old = " The old address no longer works." if reset else ""
    await respond(
        **message(
            f"Subscribe to {whose} (the next 90 days, kept current) in your calendar app with "
            f"this address, and keep it to yourself: {base}/calendar/{secret}.ics{old}"
        )
    )
