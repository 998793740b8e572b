"""The RingCentral REST client. Speaks HTTP; knows nothing of Slack."""

from __future__ import annotations

import itertools
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from bot.context import slack_user_var
from bot.domain.clock import monotonic
from bot.providers.base import DirectoryEntry, ProviderName
from bot.providers.errors import NotFound, ProviderError, SignInExpired
from bot.providers.http import Kind, ProviderHttp
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.calls import CallControl, PreCallControl
from bot.providers.ringcentral.errors import error_for
from bot.providers.ringcentral.forwarding import ForwardingNumbers
from bot.providers.ringcentral.handling import CallHandling
from bot.providers.ringcentral.models import ExtensionInfo, ExtensionList, PhoneNumberList
from bot.providers.ringcentral.paths import ACCOUNT, PER_PAGE
from bot.providers.ringcentral.push import Subscriptions
from bot.providers.ringcentral.sign_ins import SignIns

ModelT = TypeVar("ModelT", bound=BaseModel)

DIRECTORY_TTL_SECONDS = 300.0
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
    provider = ProviderName.RINGCENTRAL

    def __init__(
        self, *, http: ProviderHttp, tokens: TokenManager, sign_ins: SignIns | None = None
    ) -> None:
        self._http = http
        self.tokens = tokens
        self.sign_ins = sign_ins
        self._directory: tuple[float, list[ExtensionInfo]] | None = None
        self._own_numbers: dict[str, tuple[float, frozenset[str]]] = {}
        self.forwarding: ForwardingNumbers = ForwardingNumbers(self)
        self.calls: CallControl = CallControl(self)
        self.ringing: PreCallControl = PreCallControl(self)
        self.subscriptions: Subscriptions = Subscriptions(self)
        self.handling: CallHandling = CallHandling(self)

    # -- extensions -------------------------------------------------------------------

    async def list_extensions(self, **filters: str | list[str]) -> list[ExtensionInfo]:
        """Every page of `listExtensions` (Medium) with the given filters."""
        records: list[ExtensionInfo] = []
        page = 1
        while True:
            params: dict[str, Any] = {**filters, "page": page, "perPage": PER_PAGE}
            result = await self.call(
                "GET", f"{ACCOUNT}/extension", ExtensionList, group="Medium", params=params
            )
            records.extend(result.records)
            if result.navigation.next_page is None or page >= result.paging.total_pages:
                return records
            page += 1

    async def get_extension(self, extension_id: str) -> ExtensionInfo:
        return await self.call(
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
        answer = await self.call(
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
        found = await self.list_extensions(email=email, type="User")
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
            if e.type == "User" and e.status == "Enabled"
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
            provider=ProviderName.RINGCENTRAL,
            line_id=str(ext.id),
            extension_number=ext.extension_number,
            name=ext.name,
            email=ext.contact.email,
            is_admin=ext.permissions.admin.enabled,
            timezone=timezone or None,
            kind=ext.type or "User",
            enabled=ext.status == "Enabled",
        )

    async def call(
        self,
        method: str,
        path: str,
        model: type[ModelT],
        *,
        group: str,
        kind: Kind = Kind.READ,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> ModelT:
        response = await self.send(method, path, group=group, kind=kind, params=params, json=json)
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise ProviderError(
                f"unexpected {model.__name__} payload", provider=ProviderName.RINGCENTRAL
            ) from None

    async def call_json(
        self,
        method: str,
        path: str,
        *,
        group: str,
        kind: Kind = Kind.READ,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A call whose answer is kept verbatim (snapshots written back as they were)."""
        response = await self.send(method, path, group=group, kind=kind, params=params, json=json)
        try:
            body = response.json()
        except ValueError:
            raise ProviderError("unreadable JSON payload", provider=ProviderName.RINGCENTRAL) from None
        if not isinstance(body, dict):
            raise ProviderError("unexpected JSON payload", provider=ProviderName.RINGCENTRAL)
        return body

    async def send(
        self,
        method: str,
        path: str,
        *,
        group: str,
        kind: Kind,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
    ) -> httpx.Response:
        """One call with the bearer token; a 401 renews the token once and retries once."""
        if method == "GET" and kind is Kind.READ:
            key = (path, tuple(sorted((params or {}).items())))
            return await self._http.shared_read(
                key,
                lambda: self._send(method, path, group=group, kind=kind, params=params, json=json),
                scope=_scope(path),
            )
        return await self._send(method, path, group=group, kind=kind, params=params, json=json)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        group: str,
        kind: Kind,
        params: dict[str, Any] | None,
        json: dict[str, Any] | None,
    ) -> httpx.Response:
        tokens, token = await self._token(await self._tokens_for(path))
        for renewed in (False, True):
            request = self._http.client.build_request(method, path, params=params, json=json)
            request.headers["Authorization"] = f"Bearer {token}"
            response = await self._http.send(
                request,
                kind=kind,
                group=group,
                account=tokens.account,
                person=self._sharing(tokens),
                scope=_scope(path),
            )
            if response.status_code != 401 or renewed:
                break
            tokens, token = await self._token(tokens, stale=token)
        if response.status_code >= 400:
            raise error_for(response)
        return response

    def _sharing(self, tokens: TokenManager) -> str | None:
        """The person a request on the administrator's token counts against (their fair
        share of it); None on a person's own token, which is theirs alone."""
        person = slack_user_var.get()
        return person if tokens is self.tokens and person != "-" else None

    async def _tokens_for(self, path: str) -> TokenManager:
        """The acting person's own tokens for a request about their own extension, else the admin's."""
        person = slack_user_var.get()
        if self.sign_ins is None or person == "-":
            return self.tokens
        own = await self.sign_ins.tokens_for(person)
        if own is None or not _about_extension(path, own[1]):
            return self.tokens
        return own[0]

    async def _token(
        self, tokens: TokenManager, *, stale: str | None = None
    ) -> tuple[TokenManager, str]:
        """A token to send with (renewed once after a 401 with `stale`). When a person's own
        sign-in died, they are told once and the request goes with the admin's token."""
        try:
            token = await (tokens.after_unauthorized(stale) if stale else tokens.access_token())
        except SignInExpired:
            assert self.sign_ins is not None
            await self.sign_ins.expired(slack_user_var.get())
            return self.tokens, await self.tokens.access_token()
        return tokens, token


def _about_extension(path: str, extension_id: str) -> bool:
    parts = path.split("/")
    return bool(extension_id) and any(
        a == "extension" and b == extension_id for a, b in itertools.pairwise(parts)
    )


def _scope(path: str) -> str:
    """The resource a request reads or changes, for forgetting recent reads after a change:
    an extension's forwarding numbers (`…/extension/{id}/forwarding-number/…`), answering
    rules, or v2 comm-handling (`…/extensions/{id}/comm-handling/…`, states and their rules
    together); any other path is its own."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-2]):
        if part in ("extension", "extensions"):
            return "/".join(parts[: index + 3])
    return path
