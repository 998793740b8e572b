"""Live calls across providers: each line's calls read and moved by its provider's
call-control capability (bot/providers/calls.py), never by its name."""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.capabilities import Capabilities
from bot.domain.lines import ProviderName
from bot.providers.calls import Destination, DestinationKind, LiveCall, LiveCalls
from bot.store.links import LinkRecord

__all__ = ["CallFinder", "Destination", "DestinationKind", "LiveCall"]


class CallFinder:
    """Reads and moves calls through whichever provider serves the line."""

    def __init__(
        self,
        *,
        controls: Mapping[ProviderName, LiveCalls],
        capabilities: Capabilities,
        region: str = "US",
    ) -> None:
        self._controls = controls
        self.capabilities = capabilities
        self._region = region

    async def calls(self, line: LinkRecord) -> list[LiveCall]:
        control = self._controls.get(line.provider)
        return await control.calls(line, self._region) if control is not None else []

    async def extension(self, line: LinkRecord, typed: str) -> str | None:
        """The extension `typed` names in the directory of the line's provider, as that
        provider wants it sent; None when it isn't one."""
        control = self._controls.get(line.provider)
        return await control.extension(line, typed) if control is not None else None

    async def own_numbers(self, line: LinkRecord) -> frozenset[str]:
        """The line's own phone numbers (a RingCentral extension's direct number, …), E.164."""
        control = self._controls.get(line.provider)
        return await control.own_numbers(line) if control is not None else frozenset()

    async def move(self, call: LiveCall, destination: Destination, target: str) -> bool:
        """One request to the provider; never repeated here (docs/design.md).

        True when the provider's answer settles it; False when it accepts and moves later,
        so its caller looks again.
        """
        return await self._controls[call.provider].move(call, destination, target)

    async def still_there(self, call: LiveCall) -> bool:
        """Is our side of the call still connected on the line?"""
        for current in await self.calls(call.line):
            if current.call_id == call.call_id and current.party_id == call.party_id:
                return True
        return False
