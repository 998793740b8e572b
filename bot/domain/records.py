"""What the store hands back, as plain records: a person's link to a line, a rotation, a
stretch of time off, an audit row. Defined here so the Slack features can name them
without reaching into the store (`bot.store` imports them from here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.lines import LineRef, ProviderName, rotation_owner
from bot.domain.schedule import Rotation


@dataclass(frozen=True, slots=True)
class LinkRecord:
    slack_user_id: str
    provider: ProviderName
    line_id: str
    extension_number: str
    display_name: str
    source: str
    email: str = ""  # for an email link, the Slack email it was made from

    @property
    def ref(self) -> str:
        """`provider:line_id`, how audit rows, toggles and rotations name a line."""
        return str(self.line)

    @property
    def line(self) -> LineRef:
        return LineRef(self.provider, self.line_id)

    def on(self, provider: ProviderName) -> bool:
        return self.provider == provider

    @property
    def is_admin_link(self) -> bool:
        return self.source == "admin"


@dataclass(frozen=True)
class RotationRecord:
    id: int
    name: str
    hotline: str
    hotline_label: str
    channel: str
    schedule: Rotation
    current_member: str
    current_target: str
    failures: int
    next_try_at: datetime | None
    checked_at: datetime | None = None  # when the hotline was last read back
    escalate_to: str = ""  # "": ring the on-call person alone; "next"; or a member's Slack id
    ring_seconds: int = 20
    current_backup: str = ""  # "<member> <number>" the hotline rings second, as last applied
    group_handle: str = ""  # the Slack user group holding who is on call ("" none)
    group_id: str = ""
    group_member: str = ""  # whom Switchboard last put in it

    @property
    def backup_member(self) -> str:
        return self.current_backup.split(" ")[0] if " " in self.current_backup else ""

    @property
    def backup_number(self) -> str:
        return self.current_backup.split(" ")[1] if " " in self.current_backup else ""

    @property
    def line(self) -> LinkRecord:
        """The hotline as a line the toggle overlays can act on (owned by the rotation)."""
        ref = LineRef.parse(self.hotline)
        return LinkRecord(
            rotation_owner(self.id),
            ref.provider,
            ref.line_id,
            self.hotline_label,
            self.name,
            "admin",
        )


@dataclass(frozen=True)
class Away:
    """A member's time off: skipped in every rotation from `start` to `end`."""

    member: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: datetime
    actor: str
    subject: str
    line: str
    action: str
    before: Any
    after: Any
    request_id: str
