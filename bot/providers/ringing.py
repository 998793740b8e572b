"""Capability.PRE_CALL_CONTROL: act on a call while it still rings (a call card's buttons)."""

from __future__ import annotations

from typing import Protocol

from bot.domain.lines import ProviderName


class RingingCalls(Protocol):
    provider: ProviderName  # whose calls ring (the cards' lines)

    async def forward(self, session_id: str, party_id: str, phone_number: str) -> None: ...

    async def voicemail(self, session_id: str, party_id: str, line_id: str) -> None:
        """Straight to the mailbox of `line_id` (the line whose phone rings)."""
        ...
