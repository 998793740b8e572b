"""The quick toggle: "forward all my calls there (for 2 h)", off, voicemail, status, reverts.

The provider part is an overlay the bot owns, brought by the line's provider
(`QuickForward`, bot/providers/quick_forward.py, asked of the registry); this module picks the line,
keeps the toggle row (what to restore and when), audits, and is idempotent. A timed revert
is done by the scheduler through `revert()`, exactly once (rows are leased).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capabilities, Capability
from bot.domain.clock import monotonic
from bot.domain.forwarding import Kind, Ladder, Reverted, Status
from bot.domain.lines import LineRef, ProviderName
from bot.domain.notices import Verbatim, message
from bot.errors import Unsupported, UserError
from bot.providers.coalesce import recent_reads
from bot.providers.quick_forward import Applied, LadderOverlay, Overlay, QuickForward
from bot.services import audit, changes
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.store import Database, line_locks
from bot.store import rotations as rotation_store
from bot.store import toggles as store
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord

LINE_BUSY = "Another change to this line's forwarding is still in progress; try again in a moment."
LINE_WAIT_SECONDS = 20.0
LINE_LEASE = timedelta(minutes=2)  # longer than any change's provider calls take
HOTLINE = message(
    "This line is an on-call rotation's hotline; the rotation decides where it forwards (",
    Verbatim("/oncall"),
    ").",
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
        quick_forward: Mapping[ProviderName, QuickForward],
        capabilities: Capabilities,
        clock: Callable[[], datetime],
        destinations: DestinationPolicy,
    ) -> None:
        self._database = database
        self._destinations = destinations
        self._identity = identity
        self._clock = clock
        self._quick = dict(quick_forward)  # Capability.QUICK_FORWARD of each provider in use
        self._capabilities = capabilities

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
            overlay = self._overlay_of(line, toggle, overlay)
        return await overlay.status(line, toggle, self._clock())

    @property
    def capabilities(self) -> Capabilities:
        """What the lines of the providers in use can do."""
        return self._capabilities

    def can_ring_in_order(self, line: LinkRecord) -> bool:
        """Whether the line's provider can ring numbers in order (a rotation's escalation)."""
        return self._capabilities.can(line, Capability.RING_IN_ORDER)

    async def ladder_overlay(self, line: LinkRecord) -> LadderOverlay:
        if not self.can_ring_in_order(line):
            raise Unsupported(self._capabilities.cannot(Capability.RING_IN_ORDER, [line]))
        ladder = await self._quick_of(line).ladder(line)
        if ladder is None:
            raise Unsupported(self._capabilities.cannot(Capability.RING_IN_ORDER, [line]))
        return ladder

    def _overlay_of(self, line: LinkRecord, toggle: ToggleRecord, fallback: Overlay) -> Overlay:
        """The overlay that wrote a toggle (an escalation on an upgraded account has its own)."""
        return self._quick_of(line).keeper_of(toggle) or fallback

    async def overlay(self, line: LinkRecord) -> Overlay:
        return await self._quick_of(line).overlay(line)

    def _quick_of(self, line: LinkRecord) -> QuickForward:
        """The quick toggle of the line's provider (asked of the registry, by provider)."""
        found = self._quick.get(line.provider)
        if found is None:
            raise Unsupported(self._capabilities.cannot(Capability.QUICK_FORWARD, [line]))
        return found

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
        overlay = self._overlay_of(line, toggle, await self.overlay(line))
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
        result = await self._overlay_of(line, active, overlay).revert(
            line, active, by=actor.slack_user_id
        )
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
