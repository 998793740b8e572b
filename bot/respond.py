"""Answering through `response_url` on one shared HTTP client.

Bolt's `respond()` opens a new aiohttp session for every answer, which measured as the
largest share of a request's cost in `make bench`; this drop-in keeps one pooled client.
The middleware puts it in the context, so listeners receive it as `respond`.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class Responder:
    """Owns the pooled client (one per process)."""

    def __init__(self) -> None:
        self.client = httpx.AsyncClient(timeout=TIMEOUT)

    def for_url(self, response_url: str) -> FastRespond:
        return FastRespond(self.client, response_url)

    async def aclose(self) -> None:
        await self.client.aclose()


class FastRespond:
    def __init__(self, client: httpx.AsyncClient, response_url: str) -> None:
        self._client = client
        self.response_url = response_url

    async def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: list[dict[str, Any]] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        **extra: Any,
    ) -> httpx.Response:
        body: dict[str, Any] = dict(text) if isinstance(text, dict) else {"text": text}
        optional = {
            "blocks": blocks,
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            **extra,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        response = await self._client.post(self.response_url, json=body)
        if response.status_code >= 400:
            log.warning("response_url answered %s", response.status_code)
        return response
