"""The in-process tier's way to Slack: an aiohttp-shaped session over an httpx transport.

The bot reaches Slack through aiohttp only: slack_sdk's `AsyncWebClient` sends every Web API
call through `session.request(...)` (slack_sdk/web/async_internal_utils.py
`_request_with_session`, which keeps its retry handlers, its reading of the answer and its
errors), Bolt's per-request clients carry the same session over, and `Responder` posts to
`response_url` with `session.post(...)`. A session given to `start_runtime(slack_session=...)`
carries both; this one hands each request to an httpx transport (`tests.helpers.network`), so
the Slack stand-in's ASGI app answers it in-process, with no socket.

What goes out is what aiohttp would put on the wire: the body is built by aiohttp's own
payloads (`JsonPayload` for `json=`, its payload registry or `FormData` for `data=`, exactly
as `ClientRequest.update_body_from_data` does), the query by yarl's `extend_query` (as
aiohttp: a bool is refused), and slack_sdk's headers as given (the `Authorization: Bearer`
token, `Content-Type` form-encoded or `application/json;charset=utf-8`); a payload's own
Content-Type only where none was given. Anything aiohttp would do that this does not
reproduce (files, chunked uploads, other keyword arguments) is refused, not approximated.
The answer is read as aiohttp reads it (`content_type`, `json()` refusing a non-JSON type
with `ContentTypeError`, `text()` in the declared charset).
"""

from __future__ import annotations

import codecs
import contextlib
import json as jsonlib
import re
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, cast

import aiohttp
import httpx
from aiohttp import payload
from aiohttp.helpers import parse_mimetype
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

JSON_TYPE = "application/json"
JSON_MIMETYPE = re.compile(r"^application/(?:[\w.+-]+?\+)?json")  # aiohttp's `json_re`


class InProcessSession:
    """Use as `cast(aiohttp.ClientSession, InProcessSession(transport))`."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport
        self.closed = False

    def as_aiohttp(self) -> aiohttp.ClientSession:
        return cast(aiohttp.ClientSession, self)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: aiohttp.BasicAuth | None = None,
        ssl: object = None,  # no TLS in-process
        proxy: str | None = None,  # nor a proxy (slack_sdk reads HTTPS_PROXY from the env)
    ) -> _Exchange:
        if self.closed:
            raise RuntimeError("Session is closed")  # aiohttp's words
        return _Exchange(self._transport, method, url, params, data, json, headers, auth)

    def post(self, url: str, **kwargs: Any) -> _Exchange:
        return self.request("POST", url, **kwargs)

    async def close(self) -> None:
        self.closed = True
        await self._transport.aclose()


class _Exchange:
    """One request, sent on entering `async with` as aiohttp's request context is."""

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        data: Any,
        json: Any,
        headers: Mapping[str, str] | None,
        auth: aiohttp.BasicAuth | None,
    ) -> None:
        if data is not None and json is not None:
            raise ValueError("data and json parameters can not be used at the same time")
        self._transport = transport
        self._method = method.upper()
        self._url = URL(url).extend_query(params) if params else URL(url)
        self._headers = CIMultiDict(headers or {})
        if auth is not None:  # slack_sdk turns its `auth` into a header before it gets here
            raise TypeError("BasicAuth is not reproduced in-process")
        self._body = _payload(data, json)

    async def __aenter__(self) -> _Response:
        headers = self._headers.copy()
        content = b""
        if self._body is not None:
            content = await self._body.as_bytes()
            for key, value in self._body.headers.items():
                headers.setdefault(key, value)
        request = httpx.Request(
            self._method, str(self._url), headers=list(headers.items()), content=content
        )
        answer = await self._transport.handle_async_request(request)
        try:
            body = await answer.aread()
        finally:
            await answer.aclose()
        info = aiohttp.RequestInfo(self._url, self._method, CIMultiDictProxy(headers), self._url)
        return _Response(info, answer.status_code, answer.headers.multi_items(), body)

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


def _payload(data: Any, json: Any) -> payload.Payload | None:
    """The body as aiohttp's ClientSession._request and ClientRequest.update_body_from_data
    build it."""
    if json is not None:
        return payload.JsonPayload(json)
    if data is None:
        return None
    maybe: Any = data() if isinstance(data, aiohttp.FormData) else data
    if isinstance(maybe, aiohttp.MultipartWriter) or hasattr(maybe, "read"):
        raise TypeError("files and streamed bodies are not reproduced in-process")
    try:
        return payload.PAYLOAD_REGISTRY.get(maybe, disposition=None)
    except payload.LookupError:
        return aiohttp.FormData(maybe)()


class _Response:
    """What slack_sdk and `Responder` read of aiohttp's ClientResponse, read as it reads."""

    def __init__(
        self, info: aiohttp.RequestInfo, status: int, headers: list[tuple[str, str]], body: bytes
    ) -> None:
        self.request_info = info
        self.status = status
        self.headers = CIMultiDictProxy(CIMultiDict(headers))
        self._body = body
        raw = self.headers.get("Content-Type")
        mimetype = parse_mimetype(raw or "")
        # aiohttp's HeadersMixin.content_type: RFC 2616's default when the header is missing
        self.content_type = f"{mimetype.type}/{mimetype.subtype}" if raw else "application/octet-stream"
        self._charset = mimetype.parameters.get("charset")

    def _encoding(self) -> str:
        """aiohttp's get_encoding: the declared charset, UTF-8 for JSON (RFC 7159)."""
        if self._charset:
            with contextlib.suppress(LookupError, ValueError):
                return codecs.lookup(self._charset).name
        return "utf-8"

    async def read(self) -> bytes:
        return self._body

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        return self._body.decode(encoding or self._encoding(), errors)

    async def json(
        self,
        *,
        encoding: str | None = None,
        loads: Callable[[str], Any] = jsonlib.loads,
        content_type: str | None = JSON_TYPE,
    ) -> Any:
        if content_type:
            found = self.headers.get("Content-Type", "").lower()
            expected = (
                JSON_MIMETYPE.match(found) is not None
                if content_type == JSON_TYPE
                else content_type in found
            )
            if not expected:
                raise aiohttp.ContentTypeError(
                    self.request_info,
                    (),
                    status=self.status,
                    message=f"Attempt to decode JSON with unexpected mimetype: {found}",
                    headers=self.headers,
                )
        stripped = self._body.strip()
        if not stripped:
            return None
        return loads(stripped.decode(encoding or self._encoding()))
