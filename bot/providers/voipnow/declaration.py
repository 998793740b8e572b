"""What VoipNow lines can do through Switchboard (bot/domain/capabilities.py)."""

from __future__ import annotations

from bot.domain.capabilities import Capability, Declaration
from bot.domain.lines import ProviderName

DECLARATION = Declaration(
    name=ProviderName.VOIPNOW,
    capabilities=frozenset({Capability.CALL_CONTROL}),
)
