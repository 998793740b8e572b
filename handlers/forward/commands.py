"""/forward slash commands: list, add, edit, remove (and the modal when typed alone)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.errors import UserError
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.forwarding import Ambiguous, Change, Number
from bot.slack.blocks import message
from bot.slack.rendering import render
from bot.slack.respond import Respond
from bot.slack.text import read_back
from handlers.forward import views
from handlers.forward.modal import open_modal
from handlers.forward.parsing import number_and_label, words_of
from handlers.forward.quick import QuickToggle
from handlers.shared import Payload, actor_of, reply_with, split_mention
from handlers.shared.background import in_background
from handlers.shared.home_page import publish_home
from handlers.shared.suggest import did_you_mean


class ForwardCommand:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.service = runtime.forwarding
        self.quick = QuickToggle(runtime)

    async def handle(
        self, ack: AsyncAck, command: Payload, respond: Respond, context: AsyncBoltContext
    ) -> None:
        actor = actor_of(context)
        words = words_of(str(command.get("text") or ""))
        if not words:
            await ack()
            tell = reply_with(respond)
            await open_modal(self.runtime, actor, str(command["trigger_id"]), tell=tell)
            return
        verb = words[0].lower()
        subject, rest = split_mention(words[1:])
        rest = [read_back(word) for word in rest]  # labels go to RingCentral as typed
        work = {
            "list": self._list,
            "add": self._add,
            "edit": self._edit,
            "remove": self._remove,
            "to": self.quick.to,
            "off": self.quick.off,
            "voicemail": self.quick.voicemail,
            "status": self.quick.status,
        }.get(verb)
        if work is None:
            verbs = ("list", "add", "edit", "remove", "to", "off", "voicemail", "status")
            usage = views.usage(self.service.type_words())
            await ack(**message(did_you_mean(verb, verbs) + usage))
            return
        await ack()
        key = str(command.get("trigger_id") or "")
        in_background(
            self.runtime,
            respond,
            self._guarded(work, actor, subject or actor.slack_user_id, rest, key, respond),
        )

    async def _guarded(
        self, work: Any, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond
    ) -> None:
        try:
            await work(actor, subject, rest, key, respond)
        except Ambiguous as exc:
            await respond(
                **message(views.choices(render(exc.said), exc.candidates, self.service.region))
            )

    async def _list(
        self, actor: Actor, subject: str, rest: list[str], _key: str, respond: Respond
    ) -> None:
        if rest:
            raise UserError("Usage: `/forward list [@user]`.")
        listing = await self.service.listing(actor, subject)
        text, blocks = views.list_message(listing, actor.slack_user_id, self.service.region)
        await respond(**message(text, blocks))

    async def _add(
        self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond
    ) -> None:
        phone, label = number_and_label(rest, self.service.destinations)
        change = await self.service.add(actor, subject, phone=phone, label=label, key=key)
        await self._report(change, respond)

    async def _edit(
        self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond
    ) -> None:
        if len(rest) < 2:
            raise UserError("Usage: `/forward edit <label-or-number> <new number> [label]`.")
        listing = await self.service.listing(actor, subject)
        target, tail = self._target_and_tail(listing.numbers, rest)
        phone, label = number_and_label(tail, self.service.destinations)
        change = await self.service.edit(
            actor, subject, number_id=target.id, phone=phone, label=label, key=key, seen=listing.numbers
        )
        await self._report(change, respond)

    async def _remove(
        self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond
    ) -> None:
        if not rest:
            raise UserError("Usage: `/forward remove <label-or-number>`.")
        listing = await self.service.listing(actor, subject)
        target = self.service.resolve(listing.numbers, " ".join(rest))
        change = await self.service.remove(
            actor, subject, number_id=target.id, key=key, seen=listing.numbers
        )
        await self._report(change, respond)

    def _target_and_tail(self, numbers: list[Number], rest: list[str]) -> tuple[Number, list[str]]:
        """The shortest leading words naming one number; the words after are the new number."""
        for end in range(1, len(rest)):
            try:
                return self.service.resolve(numbers, " ".join(rest[:end])), rest[end:]
            except Ambiguous:
                continue
        return self.service.resolve(numbers, rest[0]), rest[1:]

    async def _report(self, change: Change, respond: Respond) -> None:
        if change.replayed:
            return  # the first delivery already answered
        await respond(**message(views.sentence(change, self.service.region)))
        await publish_home(self.runtime, change.line.slack_user_id, numbers=change.numbers)
