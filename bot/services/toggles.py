"""The quick toggle: "forward all my calls there (for 2 h)", off, voicemail, status, reverts.

The provider part is an overlay the bot owns (see `overlays`); this module picks the line,
keeps the toggle row (what to restore and when), audits, and is idempotent. A timed revert
is done by the scheduler through `revert()`, exactly once (rows are leased).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capabilities, Capability
from bot.domain.clock import monotonic
from bot.domain.lines import LineRef
from bot.errors import Unsupported, UserError
from bot.providers.coalesce import recent_reads
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.handling import Model
from bot.providers.smspartner.client import SmsPartnerClient
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.services.overlays import Applied, Kind, Ladder, LadderOverlay, Overlay, Reverted, Status
from bot.services.overlays.rc_inorder import InOrderOverlay
from bot.services.overlays.rc_legacy import LegacyRuleOverlay
from bot.services.overlays.rc_new import ForwardAllOverlay
from bot.services.overlays.smspartner import VirtualNumberOverlay
from bot.store import Database, line_locks
from bot.store import rotations as rotation_store
from bot.store import toggles as store
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

LINE_BUSY = "Another change to this line's forwarding is still in progress; try again in a moment."
LINE_WAIT_SECONDS = 20.0
LINE_LEASE = timedelta(minutes=2)  # longer than any change's provider calls take
HOTLINE = (
    "This line is an on-call rotation's hotline; the rotation decides where it forwards (`/oncall`)."
)


@dataclass(frozen=True)
class ToggleResult:
    """What happened; `reverted` tells how an earlier toggle ended, if one did."""

    kind: Kind | None
    target: str
    until: datetime | None
    line: LinkRecord
    reverted: Reverted | None = None
    replayed: bool = False


class ToggleService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        ringcentral: RingCentralClient | None,
        smspartner: SmsPartnerClient | None,
        capabilities: Capabilities,
        clock: Callable[[], datetime],
        destinations: DestinationPolicy,
    ) -> None:
        self._database = database
        self._destinations = destinations
        self._identity = identity
        self._clock = clock
        self._legacy = LegacyRuleOverlay(ringcentral, clock) if ringcentral else None
        self._new = ForwardAllOverlay(ringcentral, clock) if ringcentral else None
        self._inorder = InOrderOverlay(ringcentral, clock) if ringcentral else None
        self._rc = ringcentral
        self._capabilities = capabilities
        self._sp = VirtualNumberOverlay(smspartner, database, clock) if smspartner else None
        self._sp_provider = smspartner.provider if smspartner else None

    async def line(self, actor: Actor, subject: str) -> LinkRecord:
        """The subject's line for the quick toggle; a rotation's hotline is refused (it owns it)."""
        actor.require_for(subject)
        lines = await self._identity.require_lines(subject, own=subject == actor.slack_user_id)
        usable = self._capabilities.able(lines, Capability.QUICK_FORWARD)
        if not usable:
            raise Unsupported(self._capabilities.cannot(Capability.QUICK_FORWARD, lines))
        async with self._database.session() as session:
            if await rotation_store.is_hotline(session, line=usable[0].ref):
                raise Unsupported(HOTLINE)
        return usable[0]  # admin-linked first (docs/contract.md)

    async def active_toggle(self, line: LinkRecord) -> ToggleRecord | None:
        async with self._database.session() as session:
            return await store.active_for(session, line=line.ref)

    async def line_status(self, line: LinkRecord) -> Status:
        """Where the line's calls go now (the handoff engine compares it with the rotation)."""
        async with self._database.session() as session:
            toggle = await store.active_for(session, line=line.ref)
        overlay = await self.overlay(line)
        if toggle is not None:
            overlay = self._overlay_of(toggle, overlay)
        return await overlay.status(line, toggle, self._clock())

    def can_ring_in_order(self, line: LinkRecord) -> bool:
        """Whether the line's provider can ring numbers in order (a rotation's escalation)."""
        return self._capabilities.can(line, Capability.RING_IN_ORDER)

    async def ladder_overlay(self, line: LinkRecord) -> LadderOverlay:
        if not self.can_ring_in_order(line):
            raise Unsupported("This hotline's provider can't ring a backup after the on-call person.")
        assert self._rc is not None
        assert self._legacy is not None
        assert self._inorder is not None
        model = await self._rc.handling.model(line.line_id)
        return self._inorder if model is Model.NEW else self._legacy

    def _overlay_of(self, toggle: ToggleRecord, fallback: Overlay) -> Overlay:
        """The overlay that wrote a toggle (an escalation on an upgraded account has its own)."""
        if toggle.model == InOrderOverlay.model and self._inorder is not None:
            return self._inorder
        return fallback

    async def overlay(self, line: LinkRecord) -> Overlay:
        if self._sp is not None and line.provider is self._sp_provider:
            return self._sp
        assert self._rc is not None
        assert self._legacy is not None
        assert self._new is not None
        model = await self._rc.handling.model(line.line_id)
        return self._new if model is Model.NEW else self._legacy

    async def turn_on(
        self,
        actor: Actor,
        line: LinkRecord,
        *,
        kind: Kind,
        target: str,
        until: datetime | None,
        key: str,
    ) -> ToggleResult:
        if kind == "forward":  # whatever it came from: a command, a menu value, a rotation
            target = self._destinations.e164(target)
        overlay = await self.overlay(line)

        async def apply() -> Applied:
            return await overlay.apply(line, kind, target, until, by=actor.slack_user_id)

        async with self._one_at_a_time(line):
            return await self._turn_on(actor, line, overlay, kind, target, until, key, apply)

    async def ring_in_order(
        self, actor: Actor, line: LinkRecord, ladder: Ladder, *, until: datetime | None, key: str
    ) -> ToggleResult:
        """A rotation's escalation: ring `ladder.first`, then the backup, in the provider."""
        ladder = Ladder(
            self._destinations.e164(ladder.first),
            self._destinations.e164(ladder.backup),
            ladder.ring_seconds,
        )
        overlay = await self.ladder_overlay(line)

        async def apply() -> Applied:
            return await overlay.apply_ladder(line, ladder, until, by=actor.slack_user_id)

        async with self._one_at_a_time(line):
            return await self._turn_on(actor, line, overlay, "escalate", ladder.first, until, key, apply)

    async def _turn_on(
        self,
        actor: Actor,
        line: LinkRecord,
        overlay: Overlay,
        kind: Kind,
        target: str,
        until: datetime | None,
        key: str,
        apply: Callable[[], Awaitable[Applied]],
    ) -> ToggleResult:
        async with changes.claimed(self._database, self._clock, key=key, action="toggle.on") as fresh:
            if not fresh:
                return ToggleResult(kind, target, until, line, replayed=True)
            reverted = await self._end_active(actor, line, await self.overlay(line))
            applied = await apply()
        fields = {
            "slack_user_id": line.slack_user_id,
            "line": line.ref,
            "model": overlay.model,
            "kind": kind,
            "target": target,
            "provider_object": applied.provider_object,
            "snapshot": applied.snapshot,
            "written": applied.written,
            "ends_at": until,
        }
        now = self._clock()
        async with self._database.session() as session:
            await store.add(session, fields=fields, now=now)
            after = {"kind": kind, "target": target, "until": until.isoformat() if until else None}
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=line.slack_user_id,
                line=line.ref,
                action="toggle.on",
                before=applied.snapshot,
                after=after,
                now=now,
            )
        return ToggleResult(kind, target, until, line, reverted=reverted)

    async def turn_off(self, actor: Actor, line: LinkRecord, *, key: str) -> ToggleResult:
        overlay = await self.overlay(line)
        async with (
            self._one_at_a_time(line),
            changes.claimed(self._database, self._clock, key=key, action="toggle.off") as fresh,
        ):
            if not fresh:
                return ToggleResult(None, "", None, line, replayed=True)
            reverted = await self._end_active(actor, line, overlay)
        if reverted is None:
            status = await overlay.status(line, None, self._clock())
            if status.mode != "normal":
                raise UserError(
                    "Forwarding on this line was set outside Switchboard; change it where it was set."
                )
            raise UserError("Forwarding isn't on; your calls ring as usual.")
        return ToggleResult(None, "", None, line, reverted=reverted)

    async def status(
        self, actor: Actor, subject: str, *, recent: bool = False
    ) -> tuple[LinkRecord, Status]:
        """Where the subject's calls go; `recent`: for showing in a window or the App Home,
        where a read of the last few seconds will do (bot.providers.coalesce). The engine
        (`line_status`) and every change read afresh."""
        line = await self.line(actor, subject)
        async with self._database.session() as session:
            toggle = await store.active_for(session, line=line.ref)
        with recent_reads(recent):
            return line, await (await self.overlay(line)).status(line, toggle, self._clock())

    async def revert(self, toggle: ToggleRecord) -> Reverted:
        """Revert one toggle (the scheduler's way in); raises when the provider fails."""
        line = await self._line_of(toggle)
        overlay = self._overlay_of(toggle, await self.overlay(line))
        async with self._one_at_a_time(line):
            current = await self.get(toggle.id)
            if current is None or current.status != store.ACTIVE:
                return "gone"  # someone ended it meanwhile
            result = await overlay.revert(line, current, by="switchboard")
            await self._close(current, result, actor="switchboard")
        return result

    @asynccontextmanager
    async def _one_at_a_time(self, line: LinkRecord) -> AsyncIterator[None]:
        """Changes to one line's forwarding, one at a time across instances (docs/contract.md "Trust")."""
        holder = secrets.token_hex(8)
        deadline = monotonic() + LINE_WAIT_SECONDS
        pause = 0.02
        while not await line_locks.try_acquire(
            self._database, line=line.ref, holder=holder, now=self._clock(), lease=LINE_LEASE
        ):
            if monotonic() > deadline:
                raise UserError(LINE_BUSY)
            await asyncio.sleep(pause)
            pause = min(0.25, pause * 2)
        try:
            yield
        finally:
            await line_locks.release(self._database, line=line.ref, holder=holder)

    async def get(self, toggle_id: int) -> ToggleRecord | None:
        async with self._database.session() as session:
            return await store.get(session, toggle_id=toggle_id)

    async def _end_active(self, actor: Actor, line: LinkRecord, overlay: Overlay) -> Reverted | None:
        async with self._database.session() as session:
            active = await store.active_for(session, line=line.ref)
        if active is None:
            return None
        result = await self._overlay_of(active, overlay).revert(line, active, by=actor.slack_user_id)
        await self._close(active, result, actor=actor.slack_user_id)
        return result

    async def _close(self, toggle: ToggleRecord, result: Reverted, *, actor: str) -> None:
        now = self._clock()
        status = "reverted" if result != "changed" else "left"
        async with self._database.session() as session:
            await store.close(session, toggle_id=toggle.id, status=status, now=now)
            before = {"kind": toggle.kind, "target": toggle.target}
            await audit.record(
                session,
                actor=actor,
                subject=toggle.slack_user_id,
                line=toggle.line,
                action="toggle.off",
                before=before,
                after={"result": result},
                now=now,
            )

    async def _line_of(self, toggle: ToggleRecord) -> LinkRecord:
        lines = await self._identity.lines_of(toggle.slack_user_id)
        found = next((x for x in lines if x.ref == toggle.line), None)
        if found is None:
            ref = LineRef.parse(toggle.line)
            return LinkRecord(toggle.slack_user_id, ref.provider, ref.line_id, ref.line_id, "", "admin")
        return found
