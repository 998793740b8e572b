"""Incoming-call cards from the call events a provider's push notifications report.

A person who opted in (`/switchboard calls on`) gets a DM when a call rings at their
extension; a rotation's channel gets a card when its hotline rings. Each card is one row
per (session, recipient) holding its message and the last `sequence` shown, updated under
a per-card lock, so a repeated or out-of-order notification never posts twice or moves a
card backwards. A hotline call that ends unanswered DMs whoever is on call. What they are
told is a typed message (`bot.domain.notices`) the Slack side renders.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.context import slack_user_var
from bot.domain.calls import CallCard, CallEvent
from bot.domain.notices import Icon, Message, Name, Person, Verbatim, message
from bot.errors import UserError
from bot.phone import shown
from bot.providers.errors import NotFound, Rejected
from bot.providers.limiter import Priority, priority
from bot.providers.ringing import RingingCalls
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.card_numbers import CardNumbers
from bot.services.forwarding import ForwardingService, Number
from bot.services.identity import Identity
from bot.services.notifier import Notifier
from bot.store import Database
from bot.store import links as link_store
from bot.store import rotations as rotation_store
from bot.store.live_models import CallCardRow, CallOptIn

log = logging.getLogger(__name__)
# A ringing card's Forward buttons come from the owner's numbers kept this long (or until
# this instance changes them): at 1,000 calls a minute a read per card would spend the
# administrator's Light budget (50 a minute) in seconds. A button is checked against the
# numbers read fresh when pressed, so a kept copy only ever suggests.
NUMBERS_KEPT = timedelta(minutes=10)
MOVED_ON = "That call has already moved on (answered, ended or sent elsewhere); nothing was done."
NOT_YOURS = "That number isn't one of your forwarding numbers, so the call wasn't forwarded."

# What a card's row can keep (PostgreSQL refuses more): an event beyond it is ignored.
# A provider numbers a call's notifications from 1 or so, so a real one never comes near.
MAX_SEQUENCE = 2**31 - 1  # the `sequence` column is a SQL INTEGER
MAX_ID = 100  # the `session_id` and `party_id` columns' length

ORDER: dict[str, int] = {  # a card's states in the order a call goes through them
    "ringing": 0,
    "answered": 1,
    "voicemail": 2,
    "forwarded": 2,
    "missed": 2,
    "ended": 3,
}


class CallCards:
    def __init__(
        self,
        *,
        database: Database,
        notifier: Notifier,
        identity: Identity,
        forwarding: ForwardingService,
        ringing: RingingCalls | None,
        clock: Callable[[], datetime],
    ) -> None:
        self._ringing = ringing  # Capability.PRE_CALL_CONTROL of the provider whose calls push
        self._identity = identity
        self._database = database
        self._notifier = notifier
        self._forwarding = forwarding
        self._clock = clock
        self.numbers_kept = CardNumbers(database=database, forwarding=forwarding, clock=clock)

    async def opt(self, slack_user_id: str, *, on: bool) -> None:
        """Cards on or off; turning them on links the person first (by email, the first
        time): a card is about their own extension."""
        lines = await self._identity.require_lines(slack_user_id, own=True) if on else []
        await self.numbers_kept.want(slack_user_id, self._forwarding.line_of(lines), on=on)
        async with self._database.locked(f"call-optin:{slack_user_id}") as session:
            row = await session.get(CallOptIn, slack_user_id)
            if on and row is None:
                session.add(CallOptIn(slack_user_id=slack_user_id, created_at=self._clock()))
            elif not on and row is not None:
                await session.delete(row)

    async def opted_in(self, slack_user_id: str) -> bool:
        async with self._database.session() as session:
            return await session.get(CallOptIn, slack_user_id) is not None

    async def act(
        self, actor: Actor, *, session_id: str, party_id: str, phone: str, key: str
    ) -> Message:
        """A card's button: to voicemail (no `phone`) or forward to `phone`; the sentence.

        Only the person the card was posted to may press it (checked against the stored
        card before any provider call); the number passes the destination policy and must
        be one of the owner's own forwarding numbers (read fresh: a button's value is
        theirs to forge); the request is claimed once (a double click sends nothing twice)
        and audited.
        """
        async with self._database.session() as session:
            row = await session.get(CallCardRow, (session_id, actor.slack_user_id))
        if row is None or row.party_id != party_id or self._ringing is None:
            raise UserError("That call card isn't yours, so nothing was done.")
        line = await self._forwarding.line(actor, actor.slack_user_id)  # the card's owner's line
        target = self._forwarding.destinations.number(phone) if phone else ""
        fresh_numbers = await self._forwarding.numbers(line) if target else []
        if target and target not in {number for _, number in self._own(fresh_numbers)}:
            raise UserError(NOT_YOURS)
        action = "call.forward" if target else "call.voicemail"
        async with changes.claimed(self._database, self._clock, key=key, action=action) as fresh:
            if not fresh:
                return message()
            try:
                if target:
                    await self._ringing.forward(session_id, party_id, target)
                else:
                    await self._ringing.voicemail(session_id, party_id, line.line_id)
            except NotFound:
                raise UserError(MOVED_ON) from None
            except Rejected as exc:
                if exc.status == 409:
                    raise UserError(MOVED_ON) from None
                raise
        async with self._database.session() as session:
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=actor.slack_user_id,
                line=line.ref,
                action=action,
                before={"call": session_id, "party": party_id, "state": row.state},
                after={"to": target or "voicemail"},
                now=self._clock(),
            )
        return (
            message("Sent to ", Verbatim(shown(target, self._forwarding.region)), ".")
            if target
            else message("Sent to voicemail.")
        )

    async def notified(self, events: list[CallEvent]) -> int:
        """One notification's call events; returns how many cards were posted or changed."""
        shown = 0
        for event in events:
            if not 0 <= event.sequence <= MAX_SEQUENCE or len(event.session_id) > MAX_ID:
                log.warning("call cards: a notification the store can't keep was ignored")
                continue
            if len(event.party_id) > MAX_ID:
                continue
            card = CallCard(
                session_id=event.session_id,
                party_id=event.party_id,
                caller_name=event.caller_name,
                caller_number=event.caller_number,
                state=event.state,
            )
            for recipient, full in await self._recipients(event, card):
                shown += await self._show(recipient, full, event.sequence)
        return shown

    async def _recipients(self, event: CallEvent, card: CallCard) -> list[tuple[str, CallCard]]:
        if self._ringing is None:
            return []
        provider, line_id, line = event.line.provider, event.line.line_id, str(event.line)
        answered_at = event.answered_at
        found: list[tuple[str, CallCard]] = []
        async with self._database.session() as session:
            owner = await link_store.holder_of(session, provider=provider, line_id=line_id)
            wants = owner is not None and await session.get(CallOptIn, owner) is not None
            rotation = await rotation_store.of_hotline(session, line=line)
            rotations = [rotation] if rotation is not None else []
        if owner and wants:
            numbers = await self._numbers(owner, line_id) if card.state == "ringing" else ()
            found.append((owner, replace(card, owner=owner, numbers=numbers)))
        for rotation in rotations:  # on call: whom the engine handed the hotline to
            holder = rotation.current_member
            backup = ""
            if card.state == "answered" and answered_at and answered_at == rotation.backup_number:
                backup = rotation.backup_member  # the escalation rang them, and they answered
            full = replace(card, rotation=rotation.name, on_call=holder, answered_by=backup)
            found.append((rotation.channel, full))
        return found

    async def _numbers(self, owner: str, extension_id: str) -> tuple[tuple[str, str], ...]:
        """Where the owner may forward a ringing call: their numbers the policy allows.

        As kept in the store for everyone who wants cards (bot.services.card_numbers, read ahead
        in the background). Until they first are: the line's numbers as last read here by
        whatever read them (a listing, the App Home, a change, an earlier card:
        `ForwardingService.last_read`) serve for NUMBERS_KEPT, or
        until this instance changes them; else they are read without waiting for rate budget
        (a card is never held back for its buttons): when RingCentral has no room, the copy
        read before (even older) serves, else the card has no buttons.
        """
        stored = await self.numbers_kept.kept(owner, extension_id)
        if stored is not None:
            return self._own(stored)[:3]
        try:
            line = await self._forwarding.line(Actor(owner, False), owner)
        except Exception as exc:
            log.warning("call card: numbers unavailable (%s)", type(exc).__name__)
            return ()
        kept = self._forwarding.last_read(line, within=NUMBERS_KEPT)
        if kept is None:
            # read as the owner: with their own sign-in it spends their own budget, not the
            # administrator's (the client sends their token only for their own extension)
            as_owner = slack_user_var.set(owner)
            try:
                with priority(Priority.PROBE):
                    kept = await self._forwarding.numbers(line)
            except Exception as exc:
                log.warning("call card: numbers unavailable (%s)", type(exc).__name__)
                kept = self._forwarding.last_read(line, within=None) or []
            finally:
                slack_user_var.reset(as_owner)
        return self._own(kept)[:3]

    def _own(self, numbers: list[Number]) -> tuple[tuple[str, str], ...]:
        """(label, number) of the line's forwarding numbers that calls may go to."""
        allowed = self._forwarding.destinations.allows
        return tuple(
            (n.label, n.phone) for n in numbers if n.forwarding and not n.own_phone and allowed(n.phone)
        )

    async def _show(self, recipient: str, card: CallCard, sequence: int) -> int:
        async with self._database.locked(f"call:{card.session_id}:{recipient}") as session:
            row = await session.get(CallCardRow, (card.session_id, recipient))
            if row is not None and (
                row.sequence >= sequence or ORDER[card.state] < ORDER.get(row.state, 0)
            ):
                return 0  # a repeat, or older than what the card shows
            before = row.state if row is not None else ""
            place = (row.channel, row.ts) if row is not None and row.ts else None
            if row is None:
                row = CallCardRow(session_id=card.session_id, recipient=recipient)
                session.add(row)
            row.sequence, row.state, row.updated_at = sequence, card.state, self._clock()
            row.party_id = card.party_id
            await session.flush()  # stored before Slack is asked: a row that can't be, no card
            placed = await self._notifier.show_call(recipient, card, place)
            if placed is not None:
                row.channel, row.ts = placed
        if card.rotation and card.answered_by and before != "answered" and card.on_call:
            who = message(Name(card.caller_name or "someone"))
            if card.caller_number:
                who += message(" ", Verbatim(shown(card.caller_number, self._forwarding.region)))
            await self._notifier.post(
                card.on_call,
                message(
                    "You missed a call on the ",
                    Name(card.rotation, strong=True),
                    " hotline from ",
                    who,
                    "; ",
                    Person(card.answered_by),
                    " (backup) answered it.",
                ),
            )
        if card.rotation and card.unanswered and before not in ("missed", "voicemail") and card.on_call:
            await self._notifier.post(card.on_call, self._missed(card))
        return 1

    def _missed(self, card: CallCard) -> Message:
        """The on-call person's DM about a missed hotline call: call back only a number
        calls may be sent to (a one-ring scam wants a call back to a premium number)."""
        where = message(
            Icon.WARNING,
            "You missed a call on the ",
            Name(card.rotation, strong=True),
            " hotline from ",
            Name(card.caller_name or "someone"),
        )
        if not card.caller_number:
            return message(where, " (no number shown).")
        number = Verbatim(shown(card.caller_number, self._forwarding.region))
        if not self._forwarding.destinations.allows(card.caller_number):
            return message(
                where,
                " ",
                number,
                ". It is a premium-rate or unsafe number, so don't call it back from a company phone.",
            )
        return message(where, " ", number, "; call them back.")
