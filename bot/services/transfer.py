"""Moving a live call: find my calls on every line that can, transfer one, tell the truth.

A transfer is sent at most once. After an uncertain answer the call is read again: gone
means it moved; still there means we say we couldn't confirm, and the person decides.
What it says is a typed message (`bot.domain.notices`); the Slack side writes the mentions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.domain.capabilities import Capability
from bot.domain.notices import Message, Name, Person, Verbatim, fill, join, message
from bot.errors import Unsupported, UserError
from bot.phone import display
from bot.providers.errors import NotFound, Unavailable
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.calls import CallFinder, Destination, LiveCall
from bot.services.forwarding import Ambiguous, ForwardingService
from bot.services.identity import Identity
from bot.store import Database
from bot.store.links import LinkRecord

OWN_LINE = "That's the line the call is already on; pick a colleague, a number or voicemail."
NO_EXTENSION = (
    "{typed} isn't an extension in {provider}'s directory; give a colleague's extension, "
    "a phone number or voicemail."
)
RINGING = "That call isn't answered yet; a transfer works once it's connected (or on hold)."


@dataclass(frozen=True)
class Outcome:
    text: Message
    replayed: bool = False


class TransferService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        finder: CallFinder,
        forwarding: ForwardingService,
        clock: Callable[[], datetime],
        confirm_delay: float = 1.0,
    ) -> None:
        self._database = database
        self._identity = identity
        self._finder = finder
        self._forwarding = forwarding
        self._clock = clock
        self._confirm_delay = confirm_delay

    async def lines(self, actor: Actor, subject: str) -> list[LinkRecord]:
        """The subject's lines that can transfer, admin-linked first; checked before any provider call."""
        actor.require_for(subject)
        lines = await self._identity.require_lines(subject, own=subject == actor.slack_user_id)
        usable = self._finder.capabilities.able(lines, Capability.CALL_CONTROL)
        if not usable:
            raise Unsupported(self._finder.capabilities.cannot(Capability.CALL_CONTROL, lines))
        return usable

    async def calls(self, actor: Actor, subject: str) -> list[LiveCall]:
        found: list[LiveCall] = []
        for line in await self.lines(actor, subject):
            found.extend(await self._finder.calls(line))
        return found

    async def transfer(
        self, actor: Actor, call: LiveCall, destination: Destination, *, key: str
    ) -> Outcome:
        actor.require_for(call.line.slack_user_id)
        if destination.kind == "number":  # typed, or a value back from the modal
            destination = replace(
                destination, value=self._forwarding.destinations.e164(destination.value)
            )
        if not call.movable:
            raise UserError(RINGING)
        target, destination, label = await self._target(call, destination)
        async with changes.claimed(self._database, self._clock, key=key, action="transfer") as fresh:
            if not fresh:
                return Outcome(message(), replayed=True)
            settled = False
            try:
                settled = await self._finder.move(call, destination, target)
            except NotFound:
                raise UserError("That call has already ended.") from None
            except Unavailable as exc:
                if not exc.sent or not await self._gone(call):
                    raise
        confirmed = settled or await self._gone(call, settle=True)
        await self._audit(actor, call, destination)
        whose = (
            message("your")
            if call.line.slack_user_id == actor.slack_user_id
            else message(Person(call.line.slack_user_id), "'s")
        )
        caller = Name(call.other)  # the provider's caller id: text, never markup
        if not confirmed:
            return Outcome(
                message(
                    "Transfer of ",
                    whose,
                    " call with ",
                    caller,
                    " to ",
                    label,
                    " requested; the provider is still connecting it.",
                )
            )
        return Outcome(message("Transferred ", whose, " call with ", caller, " to ", label, "."))

    def _cannot_flip(self, call: LiveCall) -> str:
        flips = self._finder.capabilities.with_capability(Capability.CALL_FLIP)
        if not flips:
            return self._finder.capabilities.cannot(Capability.CALL_FLIP, [call])
        owners = " or ".join(name.display for name in flips)
        return f"Call flip is a {owners} feature; this call is on {call.provider_name}."

    async def _target(
        self, call: LiveCall, destination: Destination
    ) -> tuple[str, Destination, Message]:
        """What the provider needs for this destination on this call's line, and how the
        answer names it (the Slack side's label, or a better one)."""
        if destination.kind == "user" and destination.value == call.line.slack_user_id:
            raise UserError(OWN_LINE)
        if destination.kind == "extension":
            found = await self._finder.extension(call.line, destination.value)
            if found is None:
                raise UserError(
                    fill(NO_EXTENSION, typed=Verbatim(destination.value), provider=call.provider_name)
                )
            if found == call.line.extension_number:
                raise UserError(OWN_LINE)
            return found, replace(destination, value=found), message(destination.label)
        if destination.kind == "number" and destination.value in await self._finder.own_numbers(
            call.line
        ):
            raise UserError(OWN_LINE)
        if destination.kind == "user":
            lines = await self._identity.lines_of(destination.value)
            same = next((x for x in lines if x.provider == call.line.provider), None)
            if same is None:
                raise UserError(
                    message(destination.label, f" has no {call.provider_name} line to take the call.")
                )
            label = message(Person(destination.value), " (ext ", Verbatim(same.extension_number), ")")
            declared = self._finder.capabilities.of(call.provider)
            by_id = declared is not None and declared.colleague_by_line_id
            target = same.line_id if by_id else same.extension_number
            return target, destination, label
        if destination.kind == "flip":
            if not self._finder.capabilities.can(call, Capability.CALL_FLIP):
                raise Unsupported(self._cannot_flip(call))
            numbers = await self._forwarding.flip_numbers(call.line)  # authorized for this line
            try:
                number = self._forwarding.resolve(numbers, destination.value)
            except Ambiguous as exc:
                flippable = [n for n in exc.candidates if n.flip] or [n for n in numbers if n.flip]
                names = join(", ", (message(Verbatim(n.label), f" ({n.flip})") for n in flippable))
                raise UserError(
                    message(
                        "No forwarding number is called ",
                        Verbatim(destination.value[:40]),
                        "; yours with a flip digit: ",
                        names if flippable else "none yet",
                        ".",
                    )
                ) from None
            if not number.flip:
                raise UserError(message(Name(number.label), " has no flip digit."))
            self._forwarding.destinations.e164(number.phone)
            shown = display(number.phone, self._forwarding.region)
            return number.flip, destination, message(Name(number.label), " ", Verbatim(shown))
        return destination.value, destination, message(destination.label)

    async def _gone(self, call: LiveCall, *, settle: bool = False) -> bool:
        """Has the call left the line? With `settle`, look again once after a pause."""
        for attempt in (1, 2):
            if not await self._finder.still_there(call):
                return True
            if not settle or attempt == 2:
                return False
            await asyncio.sleep(self._confirm_delay)
        return False

    async def _audit(self, actor: Actor, call: LiveCall, destination: Destination) -> None:
        action = "transfer" if actor.slack_user_id == call.line.slack_user_id else "transfer.for"
        async with self._database.session() as session:
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=call.line.slack_user_id,
                line=call.line.ref,
                action=action,
                before={"call": call.call_id, "party": call.party_id, "with": call.other_number},
                after={
                    "to": destination.label,
                    "kind": destination.kind,
                    "value": destination.value,
                    "with": call.other,
                },
                now=self._clock(),
            )
