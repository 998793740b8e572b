"""How a line is typed: what an admin links (`103`, `voipnow:12/0003*210`, `smspartner:+33…`)
and what may be a rotation's hotline. Each provider's package implements `LineSpec`
(`bot/providers/<name>/specs.py`); the registry gathers them (`SPECS`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.lines import ProviderName
from bot.providers.base import Directory
from bot.store.links import LinkRecord

NOT_A_HOTLINE = (
    "A hotline is a line no person is linked to: a RingCentral department, call queue or IVR "
    "extension (e.g. `200`) or `smspartner:<number>`."
)


@dataclass(frozen=True, slots=True)
class SpecContext:
    """What reading a typed line may need: the directory, the numbers this deployment manages."""

    directory: Directory | None
    virtual_numbers: frozenset[str]
    region: str


class LineSpec(Protocol):
    async def admin_line(self, slack_user_id: str, value: str, context: SpecContext) -> LinkRecord:
        """The line an admin links for that person; a UserError says what is wrong."""
        ...

    async def hotline(self, value: str, context: SpecContext) -> tuple[str, str] | None:
        """(line ref, label) when `value` names a line no person holds (a UserError says why
        not), None when this provider's lines are never hotlines."""
        ...


def admin_link(
    slack_user_id: str, provider: ProviderName, line_id: str, ext: str, name: str
) -> LinkRecord:
    return LinkRecord(
        slack_user_id=slack_user_id,
        provider=provider,
        line_id=line_id,
        extension_number=ext,
        display_name=name,
        source="admin",
    )
