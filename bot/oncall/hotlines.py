"""Which lines may be a rotation's hotline (docs/contract.md "Trust").

A hotline is a line no person is linked to: a RingCentral Department, call queue or IVR
extension (never a User extension, whoever holds it), or a virtual number this deployment
manages; and it is the hotline of one rotation at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.lines import LineRef
from bot.errors import UserError
from bot.providers.base import Directory, ProviderName
from bot.services.line_specs import managed_number
from bot.store import Database
from bot.store import links as link_store
from bot.store import rotations as store

NOT_A_HOTLINE = (
    "A hotline is a line no person is linked to: a RingCentral department, call queue or IVR "
    "extension (e.g. `200`) or `smspartner:<number>`."
)


@dataclass(frozen=True)
class HotlineCheck:
    database: Database
    directory: Directory | None
    region: str
    virtual_numbers: frozenset[str]

    async def resolve(self, text: str, *, rotation_id: int | None) -> tuple[str, str]:
        """(line ref, label) of a hotline as typed; a UserError names what is wrong."""
        ref, label = await self._line(text.strip())
        line = LineRef.parse(ref)
        async with self.database.session() as session:
            holder = await link_store.holder_of(
                session, provider=line.provider.value, line_id=line.line_id
            )
            owner = await store.hotline_owner(session, line=ref)
            mine = await store.get(session, rotation_id=rotation_id) if rotation_id else None
        if holder:
            raise UserError(f"`{label}` is linked to <@{holder}>. {NOT_A_HOTLINE}")
        if owner and (mine is None or mine.name != owner):
            raise UserError(f"`{label}` is already the hotline of rotation `{owner}`.")
        return ref, label

    async def _line(self, text: str) -> tuple[str, str]:
        if text.lower().startswith("smspartner:"):
            number = managed_number(text.split(":", 1)[1], self.region, self.virtual_numbers)
            return f"{ProviderName.SMSPARTNER.value}:{number}", number
        number = text.removeprefix("ringcentral:")
        entry = (
            await self.directory.find_by_extension_number(number)
            if self.directory and number.isdigit()
            else None
        )
        if entry is None:
            raise UserError(NOT_A_HOTLINE)
        if entry.is_person:
            raise UserError(f"`{entry.extension_number}` is a person's extension. {NOT_A_HOTLINE}")
        if not entry.enabled:
            raise UserError(f"Extension `{entry.extension_number}` is disabled in RingCentral.")
        return f"{ProviderName.RINGCENTRAL.value}:{entry.line_id}", entry.extension_number
