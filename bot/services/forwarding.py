"""Forwarding numbers as the bot's users see them: list, add, edit, remove.

Every change: authorization before any provider call, an idempotency key claimed before the
one mutation request, an audit row with before/after in the same transaction as nothing
else (the provider holds the state), and the truth told after an uncertain answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capabilities, Capability
from bot.errors import Unsupported, UserError
from bot.mrkdwn import code, escape
from bot.phone import InvalidNumber, to_e164
from bot.providers.coalesce import RECENT_READ_SECONDS, recent_reads
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.handling import Model
from bot.providers.ringcentral.models import ForwardingNumberInfo
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.store import Database
from bot.store.links import LinkRecord

MAX_NUMBERS = 10
MAX_LABEL = 60
TYPE_WORDS = {"mobile": "Mobile", "home": "Home", "work": "Work"}
EDITABLE = frozenset({"Home", "Mobile", "Work", "Other"})
NO_RINGCENTRAL = "Forwarding numbers live on RingCentral, and this line isn't a RingCentral extension."
# What a window shows may be a read this many seconds old (a change of our own shows at once).
SHOWN_WITHIN_SECONDS = round(RECENT_READ_SECONDS)


@dataclass(frozen=True)
class Number:
    id: str
    label: str
    type: str
    phone: str
    flip: str | None
    forwarding: bool
    flipping: bool

    @property
    def editable(self) -> bool:
        return self.type in EDITABLE

    @classmethod
    def of(cls, info: ForwardingNumberInfo) -> Number:
        return cls(
            id=info.id,
            label=info.label or info.type,
            type=info.type,
            phone=info.phone_number,
            flip=info.flip_number,
            forwarding="CallForwarding" in info.features,
            flipping="CallFlip" in info.features,
        )


@dataclass(frozen=True)
class Listing:
    line: LinkRecord
    numbers: list[Number]


@dataclass(frozen=True)
class Change:
    """What a change did. `replayed`: a repeat of a request already handled; say nothing."""

    action: str
    line: LinkRecord
    before: Number | None = None
    after: Number | None = None
    replayed: bool = False
    note: str = ""
    numbers: list[Number] | None = None  # the line's numbers after it, as far as it knows


class Ambiguous(UserError):
    def __init__(self, message: str, candidates: list[Number]) -> None:
        super().__init__(message)
        self.candidates = candidates


NAMED_BY_TYPE = ("Home", "Mobile", "Work")
# RingCentral honours a label only on type Other (docs/providers.md §3): renaming a Mobile would
# make it Other, and `/forward to mobile` and the on-call default would stop finding it.
KEEPS_ITS_NAME = (
    "RingCentral names a {type} number by its type, so it keeps the name *{type}*; nothing "
    "changed. To change the number itself, give only the new number."
)


def kind_and_label(label: str | None) -> tuple[str, str | None]:
    """`mobile`/`home`/`work` pick that type; anything else is type Other with that label."""
    if label is None or not label.strip():
        return "Other", None
    text = " ".join(label.split())
    if text.lower() in TYPE_WORDS:
        return TYPE_WORDS[text.lower()], None
    if len(text) > MAX_LABEL:
        raise UserError(f"A label can be {MAX_LABEL} characters at most.")
    return "Other", text


class ForwardingService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        ringcentral: RingCentralClient | None,
        capabilities: Capabilities,
        clock: Callable[[], datetime],
        destinations: DestinationPolicy,
    ) -> None:
        self._database = database
        self._identity = identity
        self._rc = ringcentral
        self.capabilities = capabilities
        self._clock = clock
        self.destinations = destinations
        self.region = destinations.region
        # line id → changes to its numbers made through this instance: a copy of a line's
        # numbers kept elsewhere (a call card's buttons) is stale once this moves
        self.changed: dict[str, int] = {}
        # line id → (read at, the line's change count before the read, what it found): the
        # last read of each line's numbers, whatever made it (a listing, the App Home, a
        # change, the on-call engine, a card), so a card needs no read of its own
        self._last_read: dict[str, tuple[datetime, int, tuple[Number, ...]]] = {}
        # told each read of a line's numbers and each change to them (None: a change whose
        # outcome is unknown) and as of when (a read: when it was sent), so copies kept in the
        # store stay current (bot.services.card_numbers)
        self.watchers: list[Callable[[LinkRecord, list[Number] | None, datetime], Awaitable[None]]] = []

    async def line(self, actor: Actor, subject: str) -> LinkRecord:
        """The subject's RingCentral line, after checking the actor may act on it."""
        actor.require_for(subject)
        lines = await self._identity.require_lines(subject, own=subject == actor.slack_user_id)
        line = self.line_of(lines)
        if line is None or self._rc is None:
            raise Unsupported(NO_RINGCENTRAL)
        return line

    def line_of(self, lines: list[LinkRecord]) -> LinkRecord | None:
        """The first of `lines` whose provider keeps forwarding numbers, if any."""
        return self.capabilities.first(lines, Capability.FORWARDING_NUMBERS)

    async def listing(self, actor: Actor, subject: str, *, recent: bool = False) -> Listing:
        """The subject's numbers; `recent`: for showing in a window or the App Home, where a
        read of the last few seconds will do (bot.providers.coalesce); a change reads afresh."""
        line = await self.line(actor, subject)
        with recent_reads(recent):
            return Listing(line, await self.numbers(line))

    def parse_number(self, raw: str) -> str:
        """A typed number as E.164, after the destination policy (docs/contract.md "Destinations")."""
        return self.destinations.number(raw)

    async def add(
        self, actor: Actor, subject: str, *, phone: str, label: str | None, key: str
    ) -> Change:
        kind, clean_label = kind_and_label(label)
        e164 = self.parse_number(phone)
        line = await self.line(actor, subject)
        async with self._change(key, "forwarding.add", line) as replay:
            if replay:
                return replay
            numbers = await self.numbers(line)
            existing = next((n for n in numbers if n.phone == e164), None)
            if existing is not None:
                return Change("forwarding.add", line, after=existing, note="already", numbers=numbers)
            if len(numbers) >= MAX_NUMBERS:
                raise UserError(
                    f"You already have {MAX_NUMBERS} numbers, RingCentral's limit; remove one first."
                )
            info = await self._client.forwarding.create(
                line.line_id, phone_number=e164, type=kind, label=clean_label
            )
        made = Number.of(info)
        await self._audit(actor, line, "forwarding.add", None, made)
        await self._tell(line, [*numbers, made], self._clock())
        return Change("forwarding.add", line, after=made, numbers=[*numbers, made])

    async def edit(
        self,
        actor: Actor,
        subject: str,
        *,
        number_id: str,
        phone: str | None,
        label: str | None,
        key: str,
        seen: list[Number] | None = None,
    ) -> Change:
        """`seen`: the line's numbers this same request just read (saves reading them again)."""
        wanted: dict[str, Any] = {}
        new_label: str | None = None
        if phone:
            wanted["phoneNumber"] = self.parse_number(phone)
        if label is not None and label.strip():
            kind, new_label = kind_and_label(label)
            if new_label is None:
                wanted["type"] = kind  # a type word: the person asked for that type
        if not wanted and new_label is None:
            raise UserError("Give a new number or a new label.")
        line = await self.line(actor, subject)
        async with self._change(key, "forwarding.edit", line) as replay:
            if replay:
                return replay
            numbers = seen if seen is not None else await self.numbers(line)
            current = self._editable(numbers, number_id)
            if new_label is not None:
                if current.type in NAMED_BY_TYPE:  # a label change keeps the type
                    raise UserError(KEEPS_ITS_NAME.format(type=current.type))
                wanted["label"] = new_label
            info = await self._client.forwarding.update(line.line_id, current.id, changes=wanted)
        updated = Number.of(info)
        await self._audit(actor, line, "forwarding.edit", current, updated)
        after = [updated if n.id == current.id else n for n in numbers]
        await self._tell(line, after, self._clock())
        return Change("forwarding.edit", line, before=current, after=updated, numbers=after)

    async def remove(
        self, actor: Actor, subject: str, *, number_id: str, key: str, seen: list[Number] | None = None
    ) -> Change:
        line = await self.line(actor, subject)
        async with self._change(key, "forwarding.remove", line) as replay:
            if replay:
                return replay
            numbers = seen if seen is not None else await self.numbers(line)
            current = self._editable(numbers, number_id)
            await self._client.forwarding.delete(line.line_id, current.id)
        await self._audit(actor, line, "forwarding.remove", current, None)
        after = [n for n in numbers if n.id != current.id]
        await self._tell(line, after, self._clock())
        return Change("forwarding.remove", line, before=current, numbers=after)

    def resolve(self, numbers: list[Number], which: str) -> Number:
        """A number by label, type word or phone number; exactly one, else a list to choose from."""
        wanted = " ".join(which.split()).lower()
        found = [n for n in numbers if wanted in (n.label.lower(), n.type.lower())]
        if not found:
            # a number with a part after it matches no number: it is refused, never read short
            self.destinations.refuse_extension_part(which)
            self.destinations.refuse_post_dial(which)
            try:
                e164 = to_e164(which, self.region)
            except InvalidNumber:
                e164 = None
            found = [n for n in numbers if n.phone == e164]
        if len(found) == 1:
            return found[0]
        reason = "Several numbers match" if found else "No number matches"
        raise Ambiguous(f"{reason} {code(which[:60])}; pick one of these:", found or numbers)

    # -- internals --------------------------------------------------------------------

    @property
    def _client(self) -> RingCentralClient:
        if self._rc is None:
            raise Unsupported(NO_RINGCENTRAL)
        return self._rc

    async def numbers(self, line: LinkRecord) -> list[Number]:
        """The numbers of a line the caller was already authorized for (kept as its last read)."""
        changed, at = self.changed.get(line.line_id, 0), self._clock()
        found = [Number.of(info) for info in await self._client.forwarding.list(line.line_id)]
        self._last_read[line.line_id] = (at, changed, tuple(found))
        await self._tell(line, found, at)
        return found

    async def _tell(self, line: LinkRecord, numbers: list[Number] | None, at: datetime) -> None:
        for watcher in self.watchers:
            await watcher(line, list(numbers) if numbers is not None else None, at)

    def last_read(self, line: LinkRecord, *, within: timedelta | None) -> list[Number] | None:
        """The line's numbers as last read here, if no change went through this instance since
        and (with `within`) the read is that recent; else None. Only ever a suggestion: what
        acts on a number checks it against a fresh read."""
        kept = self._last_read.get(line.line_id)
        if kept is None or kept[1] != self.changed.get(line.line_id, 0):
            return None
        if within is not None and self._clock() - kept[0] >= within:
            return None
        return list(kept[2])

    async def flip_numbers(self, line: LinkRecord) -> list[Number]:
        """The numbers a call on this line may flip to (the caller was authorized for it):
        on an upgraded extension from the v2 call-flip-numbers API, where the migration guide
        moves them; else the forwarding numbers (v1 lists flip digits there)."""
        client = self._client
        if await client.handling.model(line.line_id) is not Model.NEW:
            return await self.numbers(line)
        return [
            Number(
                id=str(r.get("id") or ""),
                label=str(r.get("label") or r.get("type") or ""),
                type=str(r.get("type") or ""),
                phone=str(r.get("phoneNumber") or ""),
                flip=str(r["flipNumber"]) if r.get("flipNumber") else None,
                forwarding=False,
                flipping=True,
            )
            for r in await client.handling.call_flip_numbers(line.line_id)
        ]

    @staticmethod
    def _editable(numbers: list[Number], number_id: str) -> Number:
        found = next((n for n in numbers if n.id == number_id), None)
        if found is None:
            raise UserError("That number is no longer in the list; it may have been removed meanwhile.")
        if not found.editable:
            raise UserError(
                f"{escape(found.label)} is managed by RingCentral ({found.type}) and can't be changed here."
            )
        return found

    @asynccontextmanager
    async def _change(self, key: str, action: str, line: LinkRecord) -> AsyncIterator[Change | None]:
        """Yields a `replayed` Change for a repeat of a handled request, else None (go ahead)."""
        try:
            async with changes.claimed(self._database, self._clock, key=key, action=action) as fresh:
                yield None if fresh else Change(action, line, replayed=True)
        except Exception:
            await self._tell(line, None, self._clock())  # it may or may not have changed: read again
            raise
        finally:  # whatever happened, copies of the line's numbers kept elsewhere are stale
            self.changed[line.line_id] = self.changed.get(line.line_id, 0) + 1

    async def _audit(
        self, actor: Actor, line: LinkRecord, action: str, before: Number | None, after: Number | None
    ) -> None:
        async with self._database.session() as session:
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=line.slack_user_id,
                line=line.ref,
                action=action,
                before=asdict(before) if before else None,
                after=asdict(after) if after else None,
                now=self._clock(),
            )
