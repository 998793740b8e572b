"""/transfer: move a live call to a number, a colleague or voicemail."""

from __future__ import annotations

from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.runtime import Runtime
from bot.slack.call_cards import TRANSFER
from handlers.shared import Payload, actor_of
from handlers.transfer import modal
from handlers.transfer.commands import TransferCommand


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.command("/transfer")(TransferCommand(runtime).handle)
    modal.register(app, runtime)
    app.action(TRANSFER)(partial(from_a_call_card, runtime))


async def from_a_call_card(
    runtime: Runtime, ack: AsyncAck, body: Payload, context: AsyncBoltContext
) -> None:
    """An answered call's card: the transfer window, on the presser's own calls only."""
    await ack()
    actor = actor_of(context)
    await modal.open_modal(runtime, actor, str(body["trigger_id"]), actor.slack_user_id)
