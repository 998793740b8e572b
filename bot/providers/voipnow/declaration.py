"""What VoipNow lines can do through Switchboard (bot/domain/capabilities.py)."""

from __future__ import annotations

from bot.domain.capabilities import Capability, Declaration
from bot.domain.lines import ProviderName

# Its name as typed and stored, and as people see it (bot/domain/lines.py).
VOIPNOW = ProviderName.declare("voipnow", "VoipNow")

DECLARATION = Declaration(
    name=VOIPNOW,
    capabilities=frozenset({Capability.CALL_CONTROL}),
)
