"""SMSPartner virtual numbers: no read call, so the bot keeps the state it set.

Changing the target while forwarding is on is done as disable then enable, because
"already enabled" (16) may mean the new target was not applied. Off returns the number
to the state Switchboard knew before the toggle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.forwarding import Kind, Reverted, Status
from bot.providers.quick_forward import Applied, LadderOverlay, Overlay
from bot.providers.smspartner.client import DISABLED, FORWARD, VOICEMAIL, SmsPartnerClient
from bot.store import Database
from bot.store import toggles as store
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

KINDS = {"forward": FORWARD, "voicemail": VOICEMAIL}


class VirtualNumberOverlay:
    model = SmsPartnerClient.provider.value  # as stored in toggle rows

    def __init__(
        self, client: SmsPartnerClient, database: Database, clock: Callable[[], datetime]
    ) -> None:
        self._sp = client
        self._database = database
        self._clock = clock

    async def apply(
        self, line: LinkRecord, kind: Kind, target: str, ends_at: datetime | None, *, by: str
    ) -> Applied:
        known = await self._known(line.line_id)
        before = (
            {"type": known[0], "param": known[1]}
            if known
            else {"type": DISABLED, "param": "", "unknown": True}
        )
        await self._set(line.line_id, KINDS[kind], target, known, by=by)
        return Applied(snapshot=before, written={"type": KINDS[kind], "param": target})

    async def revert(self, line: LinkRecord, toggle: ToggleRecord, *, by: str) -> Reverted:
        known = await self._known(line.line_id)
        previous = toggle.snapshot or {"type": DISABLED, "param": ""}
        await self._set(line.line_id, int(previous["type"]), str(previous["param"]), known, by=by)
        return "restored"

    async def status(self, line: LinkRecord, toggle: ToggleRecord | None, now: datetime) -> Status:
        async with self._database.session() as session:
            row = await store.last_set(session, number=line.line_id)
        if row is None or row.type == DISABLED:
            return Status("normal", as_last_set_at=row.set_at if row else None)
        until = toggle.ends_at if toggle else None
        if row.type == FORWARD:
            return Status("forward", row.param or None, until, as_last_set_at=row.set_at)
        return Status("voicemail", row.param or None, until, as_last_set_at=row.set_at)

    async def _known(self, number: str) -> tuple[int, str] | None:
        """The state Switchboard last set; None when it never set this number."""
        async with self._database.session() as session:
            row = await store.last_set(session, number=number)
        return (row.type, row.param) if row else None

    async def _set(
        self, number: str, kind: int, param: str, known: tuple[int, str] | None, *, by: str
    ) -> None:
        if kind != DISABLED and (known is None or (known[0] == kind and known[1] != param)):
            # "Already enabled" (16/17) would leave an old target in place: disable first.
            await self._sp.set_forward(number, DISABLED)
        await self._sp.set_forward(number, kind, param)
        now = self._clock()
        async with self._database.session() as session:
            await store.remember_set(session, number=number, type=kind, param=param, by=by, now=now)


class SmsPartnerQuickForward:
    """Capability.QUICK_FORWARD on SMSPartner: one overlay; no ringing in order."""

    def __init__(
        self, client: SmsPartnerClient, database: Database, clock: Callable[[], datetime]
    ) -> None:
        self._overlay = VirtualNumberOverlay(client, database, clock)

    async def overlay(self, line: LinkRecord) -> Overlay:
        return self._overlay

    async def ladder(self, line: LinkRecord) -> LadderOverlay | None:
        return None

    def keeper_of(self, toggle: ToggleRecord) -> Overlay | None:
        return None
