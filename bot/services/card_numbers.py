"""The forwarding numbers a ringing card offers, kept in the store ahead of need.

RingCentral lists forwarding numbers one extension at a time (a Light request), and with
nobody signed in every read spends the administrator's 50 a minute: at burst rates a read
per card leaves most cards without Forward buttons. So the numbers of each person who
wants cards are kept in the store (bot.store.card_numbers), for every instance:
- written whenever anything reads or changes them (a listing, the App Home, a change, a
  card's own read: `ForwardingService` tells its watchers);
- read ahead in the background at the scheduler's priority (at most three quarters of a
  window, bot.providers.limiter): at opt-in (`/switchboard calls on`, read at the next tick)
  and again every REFRESH_EVERY, a few per tick, as the owner (their own budget when they
  signed in);
- a card at ring time reads the store. A Forward press still checks the number against a
  fresh read (bot.services.call_cards), so a kept copy only ever suggests.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.context import slack_user_var
from bot.domain.notices import plain
from bot.errors import said
from bot.providers.errors import RateLimited
from bot.providers.limiter import Priority, priority
from bot.services.actor import Actor
from bot.services.forwarding import ForwardingService, Number
from bot.store import Database
from bot.store import card_numbers as store
from bot.store.links import LinkRecord

log = logging.getLogger(__name__)

# How old kept numbers may grow before the background reads them again (a change made in
# RingCentral's own app shows on cards within this long; one made through Switchboard at once).
REFRESH_EVERY = timedelta(hours=1)
# Reads per scheduler tick, and per minute across every instance (kept numbers read in the
# last minute, by anything, count): 20 of the background's 37 a minute on the administrator's
# Light budget, so 1,200 opted-in people are read within the hour.
REFRESH_BATCH = 5
REFRESH_PER_MINUTE = 20
# A claimed read another instance won't start meanwhile (it is done well within this; a read
# the rate limit put off is tried again once it runs out).
LEASE = timedelta(minutes=2)
# After a read that failed (RingCentral down, the person no longer linked), the next try.
RETRY_AFTER = timedelta(minutes=15)
# A read that finds what this instance last wrote for the line within this long writes nothing.
UNCHANGED_WRITE = timedelta(minutes=1)
# Whose numbers are kept, as this instance knows it (its own opt-ins at once): reads of anyone
# else's numbers write nothing, so a burst of listings costs the store no writes. Someone who
# opted in through another instance has their reads written through once this runs out (the
# background reads their numbers ahead either way).
KEEPERS_KNOWN_FOR = timedelta(minutes=1)


def encode(numbers: list[Number]) -> str:
    return json.dumps(
        [
            [
                *(n.id, n.label, n.type, n.phone, n.flip, n.forwarding, n.flipping, n.editable),
                *(n.mobile, n.named_by_type, n.own_phone),
            ]
            for n in numbers
        ],
        separators=(",", ":"),
    )


def decode(raw: str) -> list[Number]:
    return [_number(*fields) for fields in json.loads(raw)]


def _number(
    i: object,
    label: object,
    kind: object,
    phone: object,
    flip: object,
    forwarding: object,
    flipping: object,
    editable: object,
    *marks: object,
) -> Number:
    # Rows kept before the marks were: a number nobody may change counts as the provider's own
    # phone, which a card never offers (fewer buttons until the next read, never a wrong one).
    mobile, named_by_type, own_phone = marks if len(marks) == 3 else (False, False, not editable)
    return Number(
        id=str(i),
        label=str(label),
        type=str(kind),
        phone=str(phone),
        flip=str(flip) if flip else None,
        forwarding=bool(forwarding),
        flipping=bool(flipping),
        editable=bool(editable),
        mobile=bool(mobile),
        named_by_type=bool(named_by_type),
        own_phone=bool(own_phone),
    )


class CardNumbers:
    """Keeps opted-in people's forwarding numbers in the store (registers itself as a
    watcher of `forwarding`: every read and change there is written through)."""

    def __init__(
        self, *, database: Database, forwarding: ForwardingService, clock: Callable[[], datetime]
    ) -> None:
        self._database = database
        self._forwarding = forwarding
        self._clock = clock
        self._written: dict[str, tuple[str, datetime]] = {}  # line id → (what, when) written here
        self._keepers: tuple[datetime, set[str]] | None = None  # (read at, whose numbers are kept)
        self._keepers_lock = asyncio.Lock()  # one query for a burst of reads, not one each
        forwarding.watchers.append(self.seen)

    async def want(self, slack_user_id: str, line: LinkRecord | None, *, on: bool) -> None:
        """Cards on: keep their line's numbers (read at the next background pass); off: forget."""
        async with self._database.locked(f"card-numbers:{slack_user_id}") as session:
            if on and line is not None:
                await store.want(
                    session, slack_user_id=slack_user_id, line_id=line.line_id, now=self._clock()
                )
            else:
                await store.forget(session, slack_user_id=slack_user_id)
        if self._keepers is not None:
            if on and line is not None:
                self._keepers[1].add(slack_user_id)
            else:
                self._keepers[1].discard(slack_user_id)

    async def _kept_for(self, slack_user_id: str, now: datetime) -> bool:
        """Are this person's numbers kept (as this instance knows, KEEPERS_KNOWN_FOR)?"""
        if self._keepers is None or now - self._keepers[0] >= KEEPERS_KNOWN_FOR:
            async with self._keepers_lock:
                if self._keepers is None or now - self._keepers[0] >= KEEPERS_KNOWN_FOR:
                    self._keepers = (self._clock(), await store.keepers(self._database))
        return slack_user_id in self._keepers[1]

    async def kept(self, slack_user_id: str, line_id: str) -> list[Number] | None:
        """The person's numbers as kept for that line; None when none are (not read yet)."""
        found = await store.of(self._database, slack_user_id=slack_user_id)
        if found is None or found.line_id != line_id or not found.read_at:
            return None
        return decode(found.numbers)

    async def seen(self, line: LinkRecord, numbers: list[Number] | None, at: datetime) -> None:
        """The line's numbers as read or changed `at` (None: a change whose outcome is unknown).
        A read sent before what is kept was (a change made meanwhile) is not kept."""
        now = self._clock()
        try:
            if numbers is None:
                self._written.pop(line.line_id, None)
                await store.due(
                    self._database, slack_user_id=line.slack_user_id, line_id=line.line_id, at=now
                )
                return
            if not await self._kept_for(line.slack_user_id, now):
                return
            raw = encode(numbers)
            last = self._written.get(line.line_id)
            if last is not None and last[0] == raw and now - last[1] < UNCHANGED_WRITE:
                return
            await store.keep(
                self._database,
                slack_user_id=line.slack_user_id,
                line_id=line.line_id,
                numbers=raw,
                at=at,
                due=now + REFRESH_EVERY,
            )
            self._written[line.line_id] = (raw, now)
        except Exception as exc:  # a copy not kept costs a card its buttons, never the read
            log.warning("call cards: numbers not kept (%s)", plain(said(exc, log)))

    async def refresh_due(self, now: datetime | None = None) -> int:
        """Read the numbers whose time has come (a few per tick, in the background's share);
        returns how many were read. Stops at the first rate limit: the rest wait a tick."""
        moment = now or self._clock()
        claimed = await store.claim_due(
            self._database, now=moment, limit=REFRESH_BATCH, per_minute=REFRESH_PER_MINUTE, lease=LEASE
        )
        read = 0
        for slack_user_id, _line_id in claimed:
            as_owner = slack_user_var.set(slack_user_id)  # their own sign-in, when they have one
            try:
                with priority(Priority.BACKGROUND):
                    line = await self._forwarding.line(Actor(slack_user_id, False), slack_user_id)
                    await self._forwarding.numbers(line)  # kept through `seen`
                read += 1
            except RateLimited:
                break  # the rest of the claimed: again once their lease runs out
            except Exception as exc:
                log.warning("call cards: numbers not read ahead (%s)", plain(said(exc, log)))
                await store.due(
                    self._database, slack_user_id=slack_user_id, line_id=None, at=moment + RETRY_AFTER
                )
            finally:
                slack_user_var.reset(as_owner)
        return read
