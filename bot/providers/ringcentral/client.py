"""The RingCentral REST client. Speaks HTTP; knows nothing of Slack."""

from __future__ import annotations

from typing import Any

from bot.domain.clock import monotonic
from bot.providers.base import DirectoryEntry
from bot.providers.errors import NotFound
from bot.providers.http import ProviderHttp
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.calls import CallControl, PreCallControl
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.forwarding import ForwardingNumbers
from bot.providers.ringcentral.handling import CallHandling
from bot.providers.ringcentral.models import ExtensionInfo, ExtensionList, PhoneNumberList
from bot.providers.ringcentral.paths import ACCOUNT, PER_PAGE
from bot.providers.ringcentral.push import Subscriptions
from bot.providers.ringcentral.requests import Requests
from bot.providers.ringcentral.sign_ins import SignIns

DIRECTORY_TTL_SECONDS = 300.0
# The extension type of a person (the others are Department, IvrMenu, ...: hotlines, never a
# person's line).
PERSON = "User"
# An extension's own numbers among what listExtensionPhoneNumbers returns (the list also
# holds company-level numbers the extension may use): OAS PhoneNumberUsageType.
OWN_NUMBER_USAGE = frozenset(
    {
        "DirectNumber",
        "ForwardedNumber",
        "BusinessMobileNumber",
        "FmcBusinessMobileNumber",
        "PartnerBusinessMobileNumber",
    }
)

# Throttling groups from the spec's x-throttling-group (RingCentral limits per minute).
GROUP_LIMITS = {"Light": 50, "Medium": 40, "Heavy": 10, "Auth": 5}


class RingCentralClient:
    provider = RINGCENTRAL

    def __init__(
        self, *, http: ProviderHttp, tokens: TokenManager, sign_ins: SignIns | None = None
    ) -> None:
        self.tokens = tokens
        self.sign_ins = sign_ins
        requests = Requests(http=http, tokens=tokens, sign_ins=sign_ins)
        self.requests = requests  # the HTTP layer every sub-API sends through
        self._directory: tuple[float, list[ExtensionInfo]] | None = None
        self._own_numbers: dict[str, tuple[float, frozenset[str]]] = {}
        self.forwarding: ForwardingNumbers = ForwardingNumbers(requests)
        self.calls: CallControl = CallControl(requests)
        self.ringing: PreCallControl = PreCallControl(requests)
        self.subscriptions: Subscriptions = Subscriptions(requests)
        self.handling: CallHandling = CallHandling(requests)

    # -- extensions -------------------------------------------------------------------

    async def list_extensions(self, **filters: str | list[str]) -> list[ExtensionInfo]:
        """Every page of `listExtensions` (Medium) with the given filters."""
        records: list[ExtensionInfo] = []
        page = 1
        while True:
            params: dict[str, Any] = {**filters, "page": page, "perPage": PER_PAGE}
            result = await self.requests.call(
                "GET", f"{ACCOUNT}/extension", ExtensionList, group="Medium", params=params
            )
            records.extend(result.records)
            if result.navigation.next_page is None or page >= result.paging.total_pages:
                return records
            page += 1

    async def get_extension(self, extension_id: str) -> ExtensionInfo:
        return await self.requests.call(
            "GET", f"{ACCOUNT}/extension/{extension_id}", ExtensionInfo, group="Light"
        )

    async def own_numbers(self, extension_id: str) -> frozenset[str]:
        """The extension's own phone numbers (its direct number, …), E.164; kept five minutes.

        One page of `listExtensionPhoneNumbers` (Light; 100 records: a person has a few).
        """
        now = monotonic()
        kept = self._own_numbers.get(extension_id)
        if kept is not None and now - kept[0] <= DIRECTORY_TTL_SECONDS:
            return kept[1]
        answer = await self.requests.call(
            "GET",
            f"{ACCOUNT}/extension/{extension_id}/phone-number",
            PhoneNumberList,
            group="Light",
            params={"perPage": 100},
        )
        numbers = frozenset(r.phone_number for r in answer.records if r.usage_type in OWN_NUMBER_USAGE)
        self._own_numbers[extension_id] = (now, numbers)
        return numbers

    # -- Directory protocol -----------------------------------------------------------

    async def find_by_email(self, email: str) -> list[DirectoryEntry]:
        """Enabled users whose email matches, compared case-insensitively on our side."""
        found = await self.list_extensions(email=email, type=PERSON)
        wanted = email.strip().lower()
        return [
            self._entry(e) for e in found if e.status == "Enabled" and e.contact.email.lower() == wanted
        ]

    async def find_by_extension_number(self, number: str) -> DirectoryEntry | None:
        for ext in await self._cached_directory():
            if ext.extension_number == number:
                return self._entry(ext)
        return None

    async def entry(self, line_id: str) -> DirectoryEntry | None:
        """The extension as RingCentral has it now (`GET …/extension/{id}`, Light)."""
        try:
            return self._entry(await self.get_extension(line_id))
        except NotFound:
            return None

    async def list_people(self) -> list[DirectoryEntry]:
        return [
            self._entry(e)
            for e in await self._cached_directory()
            if e.type == PERSON and e.status == "Enabled"
        ]

    async def probe(self) -> None:
        """A cheap authenticated read on the current token (never the token endpoint)."""
        await self.get_extension("~")

    # -- plumbing ---------------------------------------------------------------------

    async def _cached_directory(self) -> list[ExtensionInfo]:
        now = monotonic()
        if self._directory is None or now - self._directory[0] > DIRECTORY_TTL_SECONDS:
            self._directory = (now, await self.list_extensions())
        return self._directory[1]

    @staticmethod
    def _entry(ext: ExtensionInfo) -> DirectoryEntry:
        timezone = ext.regional_settings.timezone.name if ext.regional_settings else None
        return DirectoryEntry(
            provider=RINGCENTRAL,
            line_id=str(ext.id),
            extension_number=ext.extension_number,
            name=ext.name,
            email=ext.contact.email,
            is_admin=ext.permissions.admin.enabled,
            timezone=timezone or None,
            is_person=(ext.type or PERSON) == PERSON,  # not a Department, IvrMenu, ...
            enabled=ext.status == "Enabled",
        )
