"""/transfer: move my one live call, pick among several in a modal, admins for others."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.errors import UserError
from bot.mrkdwn import mention, parse_mention
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.calls import Destination
from bot.slack.blocks import message
from bot.slack.rendering import render
from bot.slack.respond import Respond
from bot.slack.text import read_back
from handlers.shared import Payload, actor_of, reply_with
from handlers.shared.background import in_background
from handlers.transfer import views
from handlers.transfer.modal import open_modal
from handlers.transfer.parsing import USAGE, parse_destination


class TransferCommand:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.service = runtime.transfers

    async def handle(
        self, ack: AsyncAck, command: Payload, respond: Respond, context: AsyncBoltContext
    ) -> None:
        actor = actor_of(context)
        text = str(command.get("text") or "").strip()
        trigger = str(command.get("trigger_id") or "")
        if not text:
            await ack()
            tell = reply_with(respond)
            await open_modal(self.runtime, actor, trigger, actor.slack_user_id, tell=tell)
            return
        try:
            subject, destination, raw = self._parse(actor, text)
        except UserError as exc:
            await ack(**message(render(exc.said)))
            return
        await ack()
        in_background(
            self.runtime, respond, self._transfer(actor, subject, destination, raw, trigger, respond)
        )

    def _parse(self, actor: Actor, text: str) -> tuple[str, Destination, str]:
        words = text.split()
        if words[0].lower() in ("help", "?"):
            raise UserError(USAGE)
        subject = actor.slack_user_id
        if words[0].lower() == "for":
            owner = parse_mention(words[1]) if len(words) > 1 else None
            if owner is None or len(words) < 4 or words[2].lower() != "to":
                raise UserError("Usage: `/transfer for @owner to <destination>`.")
            actor.require_for(owner)
            subject, words = owner, words[3:]
        if words[0].lower() == "flip":  # a label, looked up as typed
            words = [words[0], *(read_back(word) for word in words[1:])]
        raw = " ".join(words)
        return subject, parse_destination(raw, self.runtime.destinations), raw

    async def _transfer(
        self,
        actor: Actor,
        subject: str,
        destination: Destination,
        raw: str,
        trigger: str,
        respond: Respond,
    ) -> None:
        calls = await self.service.calls(actor, subject)
        whose = "You have" if subject == actor.slack_user_id else f"{mention(subject)} has"
        if not calls:
            await respond(**message(f"{whose} no call to transfer right now."))
            return
        if len(calls) > 1:  # the command's trigger may be gone by now: a button brings a new one
            await respond(**views.pick_message(len(calls), subject, raw, whose))
            return
        outcome = await self.service.transfer(actor, calls[0], destination, key=trigger)
        if not outcome.replayed:
            await respond(**message(views.done_text(outcome.text)))
