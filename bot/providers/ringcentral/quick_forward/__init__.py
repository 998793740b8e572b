"""Capability.QUICK_FORWARD and RING_IN_ORDER on RingCentral: which overlay a line takes.

legacy      (`rc-legacy`) a Switchboard custom answering rule with a date range (deleted on
            revert); a rotation's escalation is the same rule ringing numbers in order
forward_all (`rc-new`) the forward-all-calls state with a range, from a verbatim snapshot
in_order    (`rc-new-ladder`) a rotation's escalation on an upgraded account: a Switchboard
            custom (interaction) rule ringing in order (forward-all-calls can only terminate)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.providers.quick_forward import LadderOverlay, Overlay
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.handling import Model
from bot.providers.ringcentral.quick_forward.forward_all import ForwardAllOverlay
from bot.providers.ringcentral.quick_forward.in_order import InOrderOverlay
from bot.providers.ringcentral.quick_forward.legacy import LegacyRuleOverlay
from bot.store.links import LinkRecord
from bot.store.toggles import ToggleRecord


class RingCentralQuickForward:
    def __init__(self, client: RingCentralClient, clock: Callable[[], datetime]) -> None:
        self._handling = client.handling
        self._legacy = LegacyRuleOverlay(client, clock)
        self._new = ForwardAllOverlay(client, clock)
        self._inorder = InOrderOverlay(client, clock)

    async def overlay(self, line: LinkRecord) -> Overlay:
        model = await self._handling.model(line.line_id)
        return self._new if model is Model.NEW else self._legacy

    async def ladder(self, line: LinkRecord) -> LadderOverlay | None:
        model = await self._handling.model(line.line_id)
        return self._inorder if model is Model.NEW else self._legacy

    def keeper_of(self, toggle: ToggleRecord) -> Overlay | None:
        """An escalation on an upgraded account is reverted by its own overlay."""
        return self._inorder if toggle.model == InOrderOverlay.model else None
