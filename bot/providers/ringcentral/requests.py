"""RingCentral's HTTP layer: every request with the right bearer token, through ProviderHttp.

The client and each sub-API (forwarding numbers, calls, call handling, push) send through
one `Requests`: the administrator's token, or a person's own for a request about their own
extension (`SignIns`), renewed once after a 401.
"""

from __future__ import annotations

import itertools
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from bot.context import slack_user_var
from bot.providers.errors import ProviderError, SignInExpired
from bot.providers.http import Kind, ProviderHttp
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.errors import error_for
from bot.providers.ringcentral.sign_ins import SignIns

ModelT = TypeVar("ModelT", bound=BaseModel)


class Requests:
    def __init__(
        self, *, http: ProviderHttp, tokens: TokenManager, sign_ins: SignIns | None = None
    ) -> None:
        self._http = http
        self.tokens = tokens
        self.sign_ins = sign_ins

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
            raise ProviderError(f"unexpected {model.__name__} payload", provider=RINGCENTRAL) from None

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
            raise ProviderError("unreadable JSON payload", provider=RINGCENTRAL) from None
        if not isinstance(body, dict):
            raise ProviderError("unexpected JSON payload", provider=RINGCENTRAL)
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
