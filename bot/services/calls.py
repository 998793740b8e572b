"""Live calls across providers: one shape for the call, one for where it should go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.domain.capabilities import Capabilities
from bot.phone import shown
from bot.providers.base import ProviderName
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.voipnow.client import VoipNowClient
from bot.store.links import LinkRecord

DestinationKind = Literal["number", "extension", "user", "voicemail", "flip"]
RC_MOVABLE = frozenset({"CallConnected", "OnHold"})
VN_ON_CALL = 5


@dataclass(frozen=True)
class Destination:
    kind: DestinationKind
    value: str  # E.164 number, extension number, Slack user id, flip label, or "" (voicemail)
    label: str  # how the person reads it


@dataclass(frozen=True)
class LiveCall:
    line: LinkRecord
    call_id: str  # RingCentral telephonySessionId / VoipNow phoneCallId
    party_id: str  # RingCentral partyId; VoipNow: the user's own number on the call
    other_number: str
    other_name: str
    direction: str
    started: str
    movable: bool
    region: str = "US"  # SWITCHBOARD_DEFAULT_REGION: how the other party's number is written

    @property
    def provider(self) -> ProviderName:
        return self.line.provider

    @property
    def provider_name(self) -> str:
        return self.line.provider.display

    @property
    def ref(self) -> str:
        return f"{self.line.provider}|{self.call_id}|{self.party_id}"

    @property
    def other(self) -> str:
        number = shown(self.other_number, self.region)
        return f"{self.other_name} ({number})" if self.other_name else number


class CallFinder:
    """Reads and moves calls through whichever client serves the line."""

    def __init__(
        self,
        *,
        ringcentral: RingCentralClient | None,
        voipnow: VoipNowClient | None,
        capabilities: Capabilities,
        region: str = "US",
    ) -> None:
        self._rc = ringcentral
        self._vn = voipnow
        self.capabilities = capabilities
        self._region = region

    async def calls(self, line: LinkRecord) -> list[LiveCall]:
        if line.provider == ProviderName.RINGCENTRAL and self._rc is not None:
            return [
                LiveCall(
                    line=line,
                    call_id=c.telephony_session_id,
                    party_id=c.party_id,
                    other_number=c.from_number if c.direction == "Inbound" else c.to_number,
                    other_name=c.from_name if c.direction == "Inbound" else c.to_name,
                    direction=c.direction,
                    started=c.start_time,
                    movable=c.telephony_status in RC_MOVABLE,
                    region=self._region,
                )
                for c in await self._rc.calls.active_calls(line.line_id)
            ]
        if line.provider == ProviderName.VOIPNOW and self._vn is not None:
            user_id, extension = _voipnow_ids(line)
            found = []
            for call in await self._vn.phone_calls(user_id, extension):
                view = call.view_of(extension) or (call.views[0] if call.views else None)
                if view is None:
                    continue
                others = [n for n in view.source + view.destination if n != extension]
                name = view.caller_id.split("<")[0].strip() if "<" in view.caller_id else ""
                found.append(
                    LiveCall(
                        line=line,
                        call_id=call.id,
                        party_id=extension,
                        other_number=others[0] if others else "",
                        other_name=name,
                        direction="Inbound" if view.flow == 8 else "Outbound",
                        started=call.published,
                        movable=view.status == VN_ON_CALL,
                        region=self._region,
                    )
                )
            return found
        return []

    async def extension(self, line: LinkRecord, typed: str) -> str | None:
        """The extension `typed` names in the directory of the line's provider, as that
        provider wants it sent; None when it isn't one (RingCentral: an enabled extension
        of the account; VoipNow: an extension of the organization, `024` read in the line's
        own organization as `0003*024`)."""
        if line.provider == ProviderName.RINGCENTRAL and self._rc is not None:
            entry = await self._rc.find_by_extension_number(typed)
            return entry.extension_number if entry is not None and entry.enabled else None
        if line.provider == ProviderName.VOIPNOW and self._vn is not None:
            _, own = _voipnow_ids(line)
            organization, star, _ = own.partition("*")
            full = typed if "*" in typed or not star else f"{organization}*{typed}"
            return full if await self._vn.extension_exists(full) else None
        return None

    async def own_numbers(self, line: LinkRecord) -> frozenset[str]:
        """The line's own phone numbers (a RingCentral extension's direct number, …), E.164."""
        if line.provider == ProviderName.RINGCENTRAL and self._rc is not None:
            return await self._rc.own_numbers(line.line_id)
        return frozenset()  # VoipNow's UnifiedAPI tells no extension's public numbers

    async def move(self, call: LiveCall, destination: Destination, target: str) -> bool:
        """One request to the provider; never repeated here (docs/design.md).

        True when the provider's answer settles it: RingCentral answers 200 only once the
        party is moved. VoipNow accepts (202) and moves later, so its caller looks again.
        """
        if call.provider is ProviderName.RINGCENTRAL:
            assert self._rc is not None
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
        assert self._vn is not None
        user_id, extension = _voipnow_ids(call.line)
        if destination.kind == "voicemail":
            await self._vn.to_voicemail(
                user_id, extension, call.call_id, mailbox=extension, moved=call.other_number
            )
            return False
        await self._vn.transfer(
            user_id,
            extension,
            call.call_id,
            send_to=target,
            from_number=extension,
            moved=call.other_number,
        )
        return False

    async def still_there(self, call: LiveCall) -> bool:
        """Is our side of the call still connected on the line?"""
        for current in await self.calls(call.line):
            if current.call_id == call.call_id and current.party_id == call.party_id:
                return True
        return False


def _voipnow_ids(line: LinkRecord) -> tuple[str, str]:
    user_id, _, extension = line.line_id.partition("/")
    return user_id, extension
