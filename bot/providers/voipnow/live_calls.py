"""Capability.CALL_CONTROL on VoipNow: phone calls, the organization's extensions, transfer."""

from __future__ import annotations

from bot.providers.calls import Destination, LiveCall
from bot.providers.voipnow.client import VoipNowClient
from bot.store.links import LinkRecord

ON_CALL = 5


class VoipNowLiveCalls:
    def __init__(self, client: VoipNowClient) -> None:
        self._vn = client

    async def calls(self, line: LinkRecord, region: str) -> list[LiveCall]:
        user_id, extension = _ids(line)
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
                    movable=view.status == ON_CALL,
                    region=region,
                )
            )
        return found

    async def extension(self, line: LinkRecord, typed: str) -> str | None:
        """An extension of the organization, `024` read in the line's own organization as
        `0003*024`."""
        _, own = _ids(line)
        organization, star, _ = own.partition("*")
        full = typed if "*" in typed or not star else f"{organization}*{typed}"
        return full if await self._vn.extension_exists(full) else None

    async def own_numbers(self, line: LinkRecord) -> frozenset[str]:
        return frozenset()  # VoipNow's UnifiedAPI tells no extension's public numbers

    async def move(self, call: LiveCall, destination: Destination, target: str) -> bool:
        """VoipNow accepts (202) and moves later, so the caller looks again."""
        user_id, extension = _ids(call.line)
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


def _ids(line: LinkRecord) -> tuple[str, str]:
    user_id, _, extension = line.line_id.partition("/")
    return user_id, extension
