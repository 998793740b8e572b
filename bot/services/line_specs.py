"""What an admin types to name a line (`103`, `voipnow:12/0003*210`, `smspartner:+33…`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import UserError
from bot.phone import InvalidNumber, to_e164
from bot.providers.base import Directory, ProviderName
from bot.store.links import LinkRecord

VOIPNOW_SPEC = re.compile(r"^(?P<user>\d+)/(?P<ext>\d{4}\*\d{3}|\d{3})$")
SPEC_USAGE = "Link to an extension (`102`), `voipnow:<userId>/<extension>` or `smspartner:<number>`."


@dataclass(frozen=True)
class LineSpecs:
    directory: Directory | None
    providers: frozenset[ProviderName]
    virtual_numbers: frozenset[str]
    region: str

    async def resolve(self, slack_user_id: str, spec: str) -> LinkRecord:
        """The admin link `spec` names, for that user; a UserError says what is wrong."""
        provider_name, _, value = spec.partition(":") if ":" in spec else ("ringcentral", "", spec)
        try:
            provider = ProviderName(provider_name.lower())
        except ValueError:
            raise UserError(SPEC_USAGE) from None
        if provider not in self.providers:
            raise UserError(f"{provider.value} isn't set up in this deployment.")
        if provider is ProviderName.RINGCENTRAL:
            return await self._ringcentral(slack_user_id, value.strip())
        if provider is ProviderName.VOIPNOW:
            match = VOIPNOW_SPEC.match(value.strip())
            if not match:
                raise UserError(
                    "A VoipNow line looks like `voipnow:<userId>/<extension>`, e.g. `voipnow:12/0003*210`."
                )
            return admin_link(
                slack_user_id, provider, value.strip(), match["ext"], f"VoipNow {match['ext']}"
            )
        return self._smspartner(slack_user_id, value.strip())

    async def _ringcentral(self, slack_user_id: str, number: str) -> LinkRecord:
        if not number.isdigit() or self.directory is None:
            raise UserError("Give the RingCentral extension number, e.g. `/switchboard link @bob 103`.")
        entry = await self.directory.find_by_extension_number(number)
        if entry is None:
            raise UserError(f"RingCentral has no extension `{number}`.")
        if not entry.enabled:
            raise UserError(f"Extension `{number}` is disabled in RingCentral, so it can't be linked.")
        return admin_link(
            slack_user_id, entry.provider, entry.line_id, entry.extension_number, entry.name
        )

    def _smspartner(self, slack_user_id: str, raw: str) -> LinkRecord:
        number = managed_number(raw, self.region, self.virtual_numbers)
        return admin_link(
            slack_user_id, ProviderName.SMSPARTNER, number, number, f"Virtual number {number}"
        )


def managed_number(raw: str, region: str, virtual_numbers: frozenset[str]) -> str:
    """A virtual number this deployment manages (SMSPARTNER_NUMBERS), as E.164."""
    try:
        number = to_e164(raw, region)
    except InvalidNumber as exc:
        raise UserError(exc.message) from None
    if number not in virtual_numbers:
        raise UserError("That virtual number isn't one this deployment manages (SMSPARTNER_NUMBERS).")
    return number


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
