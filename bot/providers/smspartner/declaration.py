"""What SMSPartner virtual numbers can do through Switchboard (bot/domain/capabilities.py)."""

from __future__ import annotations

from bot.domain.capabilities import Capability, Declaration, LineKind
from bot.domain.lines import ProviderName

# Its name as typed and stored, and as people see it (bot/domain/lines.py).
SMSPARTNER = ProviderName.declare("smspartner", "SMSPartner")

DECLARATION = Declaration(
    name=SMSPARTNER,
    capabilities=frozenset({Capability.QUICK_FORWARD}),
    line_kind=LineKind.VIRTUAL_NUMBER,
    voicemail_notifies_email=True,  # SMSPartner's voicemail forward notifies an e-mail address
    state_readable=False,  # no read call: only what Switchboard last set is known
)
