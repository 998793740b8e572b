"""What RingCentral lines can do through Switchboard (bot/domain/capabilities.py)."""

from __future__ import annotations

from bot.domain.capabilities import Capability, Declaration
from bot.domain.lines import ProviderName

# Its name as typed and stored, and as people see it (bot/domain/lines.py).
RINGCENTRAL = ProviderName.declare("ringcentral", "RingCentral")

DECLARATION = Declaration(
    name=RINGCENTRAL,
    capabilities=frozenset(
        {
            Capability.DIRECTORY,
            Capability.FORWARDING_NUMBERS,
            Capability.QUICK_FORWARD,
            Capability.CALL_CONTROL,
            Capability.CALL_FLIP,
            Capability.PRE_CALL_CONTROL,
            Capability.PUSH,
            Capability.PERSONAL_SIGN_IN,
            Capability.RING_IN_ORDER,
        }
    ),
    colleague_by_line_id=True,  # a transfer to a colleague names their extension id
)
