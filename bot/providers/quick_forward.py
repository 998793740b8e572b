"""Capability.QUICK_FORWARD: how a provider carries a quick toggle, as an overlay the bot owns
and removes exactly (and Capability.RING_IN_ORDER: a rotation's escalation).

Each provider that has it implements `QuickForward` in its own package (its overlays live
there too); the toggle service asks the registry for the line's provider's one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.domain.forwarding import Kind, Ladder, Reverted, Status
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord


@dataclass(frozen=True)
class Applied:
    provider_object: str = ""
    snapshot: Any = None
    written: Any = None


class Overlay(Protocol):
    model: str  # as stored in toggle rows

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied: ...

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted: ...

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status: ...


class LadderOverlay(Overlay, Protocol):
    async def apply_ladder(
        self, line: LinkRecord, ladder: Ladder, ends_at: datetime | None, *, by: str
    ) -> Applied: ...


class QuickForward(Protocol):
    async def overlay(self, line: LinkRecord) -> Overlay:
        """The overlay a toggle on this line is written with now."""
        ...

    async def ladder(self, line: LinkRecord) -> LadderOverlay | None:
        """The overlay ringing numbers in order on this line; None when the provider can't."""
        ...

    def keeper_of(self, toggle: ToggleRecord) -> Overlay | None:
        """The overlay that must revert `toggle` whatever the line's overlay is now (one
        written by an overlay of its own), else None."""
        ...
