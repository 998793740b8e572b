"""Who brings a capability, as a sentence names it (`Capabilities.named`): the providers in use
that declare it, else every known one that does (the words stay right when none is in use)."""

from __future__ import annotations

from bot.domain.capabilities import Capabilities, Capability
from bot.providers.ringcentral import declaration as ringcentral
from bot.providers.smspartner import declaration as smspartner
from bot.providers.voipnow import declaration as voipnow

# Today's three (a provider added later changes "RingCentral or VoipNow", not these sentences).
KNOWN = [ringcentral.DECLARATION, voipnow.DECLARATION, smspartner.DECLARATION]


def test_the_providers_in_use_that_declare_it_are_named() -> None:
    every = Capabilities(KNOWN)
    assert every.named(Capability.PERSONAL_SIGN_IN) == "RingCentral"
    assert every.named(Capability.CALL_CONTROL) == "RingCentral or VoipNow"
    voipnow_only = Capabilities(KNOWN, in_use=[voipnow.VOIPNOW])
    assert voipnow_only.named(Capability.CALL_CONTROL) == "VoipNow"


def test_without_one_in_use_the_known_ones_are_named() -> None:
    smspartner_only = Capabilities(KNOWN, in_use=[smspartner.SMSPARTNER])
    assert smspartner_only.named(Capability.RING_IN_ORDER) == "RingCentral"
