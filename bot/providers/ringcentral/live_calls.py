"""Capability.CALL_CONTROL on RingCentral: active calls, the directory, transfer and flip."""

from __future__ import annotations

from bot.providers.calls import Destination, LiveCall
from bot.providers.ringcentral.client import RingCentralClient
from bot.store.links import LinkRecord

MOVABLE = frozenset({"CallConnected", "OnHold"})


class RingCentralLiveCalls:
    def __init__(self, client: RingCentralClient) -> None:
        self._rc = client

    async def calls(self, line: LinkRecord, region: str) -> list[LiveCall]:
        return [
            LiveCall(
                line=line,
                call_id=c.telephony_session_id,
                party_id=c.party_id,
                other_number=c.from_number if c.direction == "Inbound" else c.to_number,
                other_name=c.from_name if c.direction == "Inbound" else c.to_name,
                direction=c.direction,
                started=c.start_time,
                movable=c.telephony_status in MOVABLE,
                region=region,
            )
            for c in await self._rc.calls.active_calls(line.line_id)
        ]

    async def extension(self, line: LinkRecord, typed: str) -> str | None:
        """An enabled extension of the account."""
        entry = await self._rc.find_by_extension_number(typed)
        return entry.extension_number if entry is not None and entry.enabled else None

    async def own_numbers(self, line: LinkRecord) -> frozenset[str]:
        return await self._rc.own_numbers(line.line_id)

    async def move(self, call: LiveCall, destination: Destination, target: str) -> bool:
        """RingCentral answers 200 only once the party is moved: settled."""
        if destination.kind == "flip":
            await self._rc.calls.flip(call.call_id, call.party_id, target)
            return True
        body = {
            "number": {"phoneNumber": target},
            "extension": {"extensionNumber": target},
            "user": {"extensionId": target},
            "voicemail": {"voicemail": call.line.line_id},
        }[destination.kind]
        await self._rc.calls.transfer(call.call_id, call.party_id, body)
        return True
