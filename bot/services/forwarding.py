"""Forwarding numbers as the bot's users see them: list, add, edit, remove.

Every change: authorization before any provider call, an idempotency key claimed before the
one mutation request, an audit row with before/after in the same transaction as nothing
else (the provider holds the state), and the truth told after an uncertain answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capabilities, Capability
from bot.domain.forwarding import Number as Number
from bot.domain.forwarding import NumberChange
from bot.domain.lines import ProviderName
from bot.domain.notices import Message, Name, Verbatim, fill, message
from bot.errors import Unsupported, UserError
from bot.phone import InvalidNumber, to_e164
from bot.providers.coalesce import RECENT_READ_SECONDS, recent_reads
from bot.providers.forwarding import ForwardingNumbers
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.store import Database
from bot.store.links import LinkRecord

MAX_LABEL = 60
# What a window shows may be a read this many seconds old (a change of our own shows at once).
SHOWN_WITHIN_SECONDS = round(RECENT_READ_SECONDS)


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
    def __init__(self, sentence: str | Message, candidates: list[Number]) -> None:
        super().__init__(sentence)
        self.candidates = candidates


# The provider's rules on numbers are its capability's (`ForwardingNumbers`): the sentences
# name the provider ({provider}: `ProviderName.display`).
# A type named by its type (`named_by_type`): renaming it would change its type, and
# `/forward to mobile` and the on-call default would stop finding it.
KEEPS_ITS_NAME = (
    "{provider} names a {type} number by its type, so it keeps the name {name}; nothing "
    "changed. To change the number itself, give only the new number."
)
AT_MOST = "You already have {count} numbers, {provider}'s limit; remove one first."
NOT_EDITABLE = "{label} is managed by {provider} ({type}) and can't be changed here."


def check_label(label: str | None) -> None:
    """A label of its own is MAX_LABEL characters at most (whatever the provider)."""
    if label is not None and len(" ".join(label.split())) > MAX_LABEL:
        raise UserError(f"A label can be {MAX_LABEL} characters at most.")


def kind_and_label(label: str | None, kept: ForwardingNumbers) -> tuple[str, str | None]:
    """A type word (`mobile`, `home`, `work` on RingCentral) picks that type; anything else
    is the provider's labelled type with that label."""
    if label is None or not label.strip():
        return kept.labelled_type, None
    text = " ".join(label.split())
    words = {kind.lower(): kind for kind in kept.named_by_type}
    if text.lower() in words:
        return words[text.lower()], None
    check_label(text)
    return kept.labelled_type, text


class ForwardingService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        numbers: Mapping[ProviderName, ForwardingNumbers],
        capabilities: Capabilities,
        clock: Callable[[], datetime],
        destinations: DestinationPolicy,
    ) -> None:
        self._database = database
        self._identity = identity
        self._numbers = dict(numbers)  # Capability.FORWARDING_NUMBERS of each provider in use
        self.capabilities = capabilities
        self._clock = clock
        self.destinations = destinations
        self.region = destinations.region
        # line ref (`provider:line_id`: two providers' lines may share an id) → changes to its
        # numbers made through this instance: a copy of a line's numbers kept elsewhere (a call
        # card's buttons) is stale once this moves
        self.changed: dict[str, int] = {}
        # line ref → (read at, the line's change count before the read, what it found): the
        # last read of each line's numbers, whatever made it (a listing, the App Home, a
        # change, the on-call engine, a card), so a card needs no read of its own
        self._last_read: dict[str, tuple[datetime, int, tuple[Number, ...]]] = {}
        # told each read of a line's numbers and each change to them (None: a change whose
        # outcome is unknown) and as of when (a read: when it was sent), so copies kept in the
        # store stay current (bot.services.card_numbers)
        self.watchers: list[Callable[[LinkRecord, list[Number] | None, datetime], Awaitable[None]]] = []

    async def line(self, actor: Actor, subject: str) -> LinkRecord:
        """The subject's line that keeps forwarding numbers, after checking the actor may act on it."""
        actor.require_for(subject)
        lines = await self._identity.require_lines(subject, own=subject == actor.slack_user_id)
        line = self.line_of(lines)
        if line is None or line.provider not in self._numbers:
            raise Unsupported(self._kept_nowhere())
        return line

    def _kept_nowhere(self) -> str:
        """Why a line has no forwarding numbers: the providers in use that keep them."""
        names = sorted(p.display for p in self._numbers)
        if not names:
            return (
                "Forwarding numbers need a phone system that keeps them, and this deployment uses none."
            )
        if len(names) > 1:
            return f"Forwarding numbers live on {' or '.join(names)}, and this line is on neither."
        declared = self.capabilities.of(next(iter(self._numbers)))
        kind = declared.line_kind.value if declared is not None else "line"
        return f"Forwarding numbers live on {names[0]}, and this line isn't a {names[0]} {kind}."

    def line_of(self, lines: list[LinkRecord]) -> LinkRecord | None:
        """The first of `lines` whose provider keeps forwarding numbers, if any."""
        return self.capabilities.first(lines, Capability.FORWARDING_NUMBERS)

    def type_words(self, line: LinkRecord | None = None) -> list[str]:
        """The words that pick a forwarding number's type (`/forward add <number> mobile` on
        RingCentral): the types the line's provider names by their type, in lower case (none
        when it keeps no forwarding numbers); without a line, every provider's in use."""
        words: list[str] = []
        for rules in self._rules(line):
            words += [kind.lower() for kind in rules.named_by_type if kind.lower() not in words]
        return words

    def mobile_type(self, line: LinkRecord | None = None) -> str | None:
        """The type of a person's mobile among the line's provider's forwarding numbers
        (`ForwardingNumbers.mobile_type`, RingCentral's Mobile: the on-call default), when its
        type word adds one; without a line, the first provider's in use that has one. None: no
        such type (then only a chosen on-call number reaches the person)."""
        return next(
            (
                r.mobile_type
                for r in self._rules(line)
                if r.mobile_type is not None and r.mobile_type in r.named_by_type
            ),
            None,
        )

    def _rules(self, line: LinkRecord | None) -> list[ForwardingNumbers]:
        """The line's provider's forwarding numbers (none when it keeps none); every provider's
        in use without a line."""
        if line is None:
            return list(self._numbers.values())
        found = self._numbers.get(line.provider)
        return [] if found is None else [found]

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
        check_label(label)
        e164 = self.parse_number(phone)
        line = await self.line(actor, subject)
        kept = self._kept(line)
        kind, clean_label = kind_and_label(label, kept)
        async with self._change(key, "forwarding.add", line) as replay:
            if replay:
                return replay
            numbers = await self.numbers(line)
            existing = next((n for n in numbers if n.phone == e164), None)
            if existing is not None:
                return Change("forwarding.add", line, after=existing, note="already", numbers=numbers)
            if len(numbers) >= kept.max_numbers:
                raise UserError(AT_MOST.format(count=kept.max_numbers, provider=line.provider.display))
            made = await kept.add(line, phone=e164, type=kind, label=clean_label)
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
        wanted = NumberChange()
        new_label: str | None = None
        labelled = label is not None and bool(label.strip())
        check_label(label)
        if phone:
            wanted = replace(wanted, phone=self.parse_number(phone))
        if wanted == NumberChange() and not labelled:
            raise UserError("Give a new number or a new label.")
        line = await self.line(actor, subject)
        kept = self._kept(line)
        if labelled:
            kind, new_label = kind_and_label(label, kept)
            if new_label is None:
                wanted = replace(wanted, type=kind)  # a type word: the person asked for that type
        async with self._change(key, "forwarding.edit", line) as replay:
            if replay:
                return replay
            numbers = seen if seen is not None else await self.numbers(line)
            current = self._editable(line, numbers, number_id)
            if new_label is not None:
                if current.type in kept.named_by_type:  # a label change keeps the type
                    who = line.provider.display
                    raise UserError(
                        fill(
                            KEEPS_ITS_NAME,
                            provider=who,
                            type=current.type,
                            name=Name(current.type, strong=True),
                        )
                    )
                wanted = replace(wanted, label=new_label)
            updated = await kept.update(line, current.id, wanted)
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
            current = self._editable(line, numbers, number_id)
            await self._kept(line).remove(line, current.id)
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
        raise Ambiguous(
            message(f"{reason} ", Verbatim(which[:60]), "; pick one of these:"), found or numbers
        )

    # -- internals --------------------------------------------------------------------

    def _kept(self, line: LinkRecord) -> ForwardingNumbers:
        """The forwarding numbers of the line's provider (asked of the registry, by provider)."""
        found = self._numbers.get(line.provider)
        if found is None:
            raise Unsupported(self._kept_nowhere())
        return found

    async def numbers(self, line: LinkRecord) -> list[Number]:
        """The numbers of a line the caller was already authorized for (kept as its last read)."""
        changed, at = self.changed.get(line.ref, 0), self._clock()
        found = await self._kept(line).numbers(line)
        self._last_read[line.ref] = (at, changed, tuple(found))
        await self._tell(line, found, at)
        return found

    async def _tell(self, line: LinkRecord, numbers: list[Number] | None, at: datetime) -> None:
        for watcher in self.watchers:
            await watcher(line, list(numbers) if numbers is not None else None, at)

    def last_read(self, line: LinkRecord, *, within: timedelta | None) -> list[Number] | None:
        """The line's numbers as last read here, if no change went through this instance since
        and (with `within`) the read is that recent; else None. Only ever a suggestion: what
        acts on a number checks it against a fresh read."""
        kept = self._last_read.get(line.ref)
        if kept is None or kept[1] != self.changed.get(line.ref, 0):
            return None
        if within is not None and self._clock() - kept[0] >= within:
            return None
        return list(kept[2])

    async def flip_numbers(self, line: LinkRecord) -> list[Number]:
        """The numbers a call on this line may flip to (the caller was authorized for it):
        the provider's own list, else the forwarding numbers."""
        flips = await self._kept(line).flip_numbers(line)
        return flips if flips is not None else await self.numbers(line)

    @staticmethod
    def _editable(line: LinkRecord, numbers: list[Number], number_id: str) -> Number:
        found = next((n for n in numbers if n.id == number_id), None)
        if found is None:
            raise UserError("That number is no longer in the list; it may have been removed meanwhile.")
        if not found.editable:
            who = line.provider.display
            raise UserError(fill(NOT_EDITABLE, label=Name(found.label), provider=who, type=found.type))
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
            self.changed[line.ref] = self.changed.get(line.ref, 0) + 1

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
                before=_audited(before) if before else None,
                after=_audited(after) if after else None,
                now=self._clock(),
            )


def _audited(number: Number) -> dict[str, object]:
    """A number as its audit rows have always kept it: what it is, not what may be done with it."""
    kept = asdict(number)
    del kept["editable"]
    return kept
