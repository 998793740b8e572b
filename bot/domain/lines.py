"""Provider names and lines: the one enum (with how each is written for people), and
`provider:line_id` parsed in one place."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ProviderName(enum.StrEnum):
    RINGCENTRAL = "ringcentral"
    VOIPNOW = "voipnow"
    SMSPARTNER = "smspartner"

    @property
    def display(self) -> str:
        """How people see the provider's name ("RingCentral")."""
        return _DISPLAY[self]


_DISPLAY = {
    ProviderName.RINGCENTRAL: "RingCentral",
    ProviderName.VOIPNOW: "VoipNow",
    ProviderName.SMSPARTNER: "SMSPartner",
}


@dataclass(frozen=True, slots=True)
class LineRef:
    """A line at a provider (an extension or a virtual number), as stored: `provider:line_id`."""

    provider: ProviderName
    line_id: str

    @classmethod
    def parse(cls, ref: str) -> LineRef:
        provider, _, line_id = ref.partition(":")
        return cls(ProviderName(provider), line_id)

    def __str__(self) -> str:
        return f"{self.provider.value}:{self.line_id}"


def rotation_owner(rotation_id: int) -> str:
    """Who a rotation's hotline "belongs" to in toggle rows: the rotation, never a person."""
    return f"rotation:{rotation_id}"


def owned_by_rotation(owner: str) -> bool:
    """A rotation's hotline: only the rotation changes it, so its own rule edited elsewhere is
    still its own to replace (a person's edit of their own line is left alone)."""
    return owner.startswith("rotation:")
