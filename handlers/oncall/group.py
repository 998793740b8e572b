"""`/oncall group <rotation> [@handle|off]` (admins): a Slack user group that is always
exactly who is on call (default `@<rotation>-oncall`), created when missing."""

from __future__ import annotations

from bot.errors import UserError
from bot.mrkdwn import mention
from bot.oncall.groups import default_handle, read_handle
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.respond import Respond

USAGE = "Usage: `/oncall group <rotation> [@handle|off]` (admins)."
ADMINS_ONLY = "Only Switchboard admins can give a rotation a user group."


async def group(runtime: Runtime, actor: Actor, rest: list[str], respond: Respond) -> None:
    if not actor.is_admin:
        raise UserError(ADMINS_ONLY)
    if not 1 <= len(rest) <= 2:
        raise UserError(USAGE)
    keeper = runtime.handoffs.groups
    if keeper is None:
        raise UserError("User groups aren't available in this deployment.")
    rotation = await runtime.rotations.pick(rest[0], actor.slack_user_id)
    if len(rest) == 2 and rest[1].lower() == "off":
        await keeper.stop(actor, rotation)
        await respond(
            **message(
                f"Switchboard no longer updates `@{rotation.group_handle}`; it keeps its members "
                "(disable it in Slack if it isn't wanted)."
            )
        )
        return
    handle = read_handle(rest[1]) if len(rest) == 2 else default_handle(rotation)
    await keeper.keep(actor, rotation, handle)
    await runtime.handoffs.reconcile_now(rotation.id)  # the group gets its member at once
    state = await runtime.rotations.now(rotation)
    await respond(
        **message(
            f"`@{handle}` now holds {mention(state.current.member)}, who is on call for "
            f"*{rotation.name}*, and follows every handoff, override and cover within a tick."
        )
    )
