"""Which lines may be a rotation's hotline (docs/contract.md "Trust").

A hotline is a line no person is linked to, of a kind its provider's `LineSpec.hotline`
accepts (e.g. a department extension, never a person's, whoever holds it, or a virtual number
this deployment manages); and it is the hotline of one rotation at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.lines import LineRef, ProviderName
from bot.domain.notices import Person, Verbatim, message
from bot.errors import UserError
from bot.providers.base import Directory
from bot.providers.specs import KnownSpecs, LineTyping, NotAHotline, SpecContext
from bot.store import Database
from bot.store import links as link_store
from bot.store import rotations as store


@dataclass(frozen=True)
class HotlineCheck:
    database: Database
    known: KnownSpecs
    directory: Directory | None
    region: str
    virtual_numbers: frozenset[str]
    typing: LineTyping  # what a hotline is, in the words of the providers in use

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
            raise UserError(
                message(
                    Verbatim(label), " is linked to ", Person(holder), ". ", self.typing.not_a_hotline
                )
            )
        if owner and (mine is None or mine.name != owner):
            raise UserError(
                message(Verbatim(label), " is already the hotline of rotation ", Verbatim(owner), ".")
            )
        return ref, label

    async def _line(self, text: str) -> tuple[str, str]:
        name, colon, value = text.partition(":")
        try:
            provider = ProviderName(name.lower()) if colon else self.known.bare
        except ValueError:
            raise UserError(self.typing.not_a_hotline) from None
        context = SpecContext(self.directory, self.virtual_numbers, self.region)
        try:
            found = await self.known.specs[provider].hotline(value if colon else text, context)
        except NotAHotline as exc:
            raise UserError(message(exc.why, self.typing.not_a_hotline)) from None
        if found is None:
            raise UserError(self.typing.not_a_hotline)
        return found
