"""Forwarding numbers and the quick toggle as the services see them, whichever provider keeps
them (`ForwardingNumbers` and `QuickForward` in bot/providers/ implement them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Kind = Literal["forward", "voicemail", "escalate"]
Reverted = Literal["restored", "gone", "changed"]  # changed: someone else's newer choice, left alone


@dataclass(frozen=True)
class Number:
    """One of a line's forwarding numbers."""

    id: str
    label: str
    type: str
    phone: str
    flip: str | None
    forwarding: bool
    flipping: bool
    # whether a person may change it (the provider says; a desk phone, say, is its own)
    editable: bool
    mobile: bool = False  # the person's mobile phone, as their provider types it (on-call's default)
    # its type names it (a Home, a Mobile: the label is the type's); else its label does
    named_by_type: bool = False
    # a phone of the provider's own, where the line's calls ring anyway (a desk phone): no
    # place to forward a ringing call to
    own_phone: bool = False


@dataclass(frozen=True)
class NumberChange:
    """What an edit changes; None leaves that part as it is."""

    phone: str | None = None  # E.164
    type: str | None = None  # a type word's type (Home, Mobile, Work)
    label: str | None = None


@dataclass(frozen=True)
class Status:
    """What happens to calls now, as the provider shows it (or as last set, without read-back)."""

    mode: Literal["normal", "forward", "voicemail", "escalate"]
    target: str | None = None  # escalate: the number rung first
    until: datetime | None = None
    ours: bool = True  # False: set in the provider's own app
    as_last_set_at: datetime | None = None  # no read-back: the state Switchboard last set
    backup: str | None = None  # escalate: the number rung when the first did not answer
    ring_seconds: int | None = None  # escalate: how long each number rings


@dataclass(frozen=True)
class Ladder:
    """Ring `first` for `ring_seconds`, then `backup` as long, then where calls went before."""

    first: str
    backup: str
    ring_seconds: int
