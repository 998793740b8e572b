"""Capability.FORWARDING_NUMBERS: a line's forwarding numbers, listed and changed.

Each provider that keeps them implements `ForwardingNumbers` in its own package; the registry
carries it on the provider's `Adapter`. A create is never resent once sent (docs/design.md).
Its rules on numbers are declared with it (how many a line may have, which types are named by
their type, the type of a number with a label of its own, the type of a person's mobile); each
`Number` it reports says whether a person may change it. `ForwardingService` asks these and
words its sentences from them (the type words `/forward` takes, the on-call engine's advice).
"""

from __future__ import annotations

from typing import Protocol

from bot.domain.forwarding import Number, NumberChange
from bot.store.links import LinkRecord


class ForwardingNumbers(Protocol):
    max_numbers: int  # how many forwarding numbers a line may have
    # Types named by their type: a type word (the type in lower case) picks one, and it keeps
    # no label of its own; in the order the help lists their words.
    named_by_type: tuple[str, ...]
    labelled_type: str  # the type of a number with a label of its own (or with none given)
    # The type of a person's mobile phone (its numbers are marked `Number.mobile`, the on-call
    # default); one of `named_by_type` when a type word adds one. None: no type is.
    mobile_type: str | None

    async def numbers(self, line: LinkRecord) -> list[Number]: ...

    async def flip_numbers(self, line: LinkRecord) -> list[Number] | None:
        """The numbers a call on this line may flip to; None: its forwarding numbers."""
        ...

    async def add(self, line: LinkRecord, *, phone: str, type: str, label: str | None) -> Number: ...

    async def update(self, line: LinkRecord, number_id: str, change: NumberChange) -> Number: ...

    async def remove(self, line: LinkRecord, number_id: str) -> None:
        """Done when the number is gone (already gone counts)."""
        ...
