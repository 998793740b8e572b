"""What an admin types to name a line (`103`, `voipnow:12/0003*210`, `smspartner:+33…`):
`provider:value`, each provider reading its own value (`LineSpec`, bot/providers/specs.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.lines import ProviderName
from bot.errors import UserError
from bot.providers.base import Directory
from bot.providers.specs import KnownSpecs, LineTyping, SpecContext
from bot.store.links import LinkRecord


@dataclass(frozen=True)
class LineSpecs:
    known: KnownSpecs
    directory: Directory | None
    providers: frozenset[ProviderName]
    virtual_numbers: frozenset[str]
    region: str

    @property
    def typing(self) -> LineTyping:
        """The help for typing a line, in the words of the providers in use."""
        return self.known.typing(self.providers)

    async def resolve(self, slack_user_id: str, spec: str) -> LinkRecord:
        """The admin link `spec` names, for that user; a UserError says what is wrong."""
        name, _, value = spec.partition(":") if ":" in spec else (self.known.bare.value, "", spec)
        try:
            provider = ProviderName(name.lower())
        except ValueError:
            raise UserError(self.typing.link_usage) from None
        if provider not in self.providers:
            raise UserError(f"{provider.display} isn't set up in this deployment.")
        context = SpecContext(self.directory, self.virtual_numbers, self.region)
        return await self.known.specs[provider].admin_line(slack_user_id, value, context)
