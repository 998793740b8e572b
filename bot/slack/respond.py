"""Answering through `response_url` on one shared, pooled HTTP session.

Bolt's `respond()` opens a new aiohttp session for every answer, which measured as the
largest share of a request's cost in `make bench`; this drop-in keeps one session per
process. (httpx was tried first: its pool rescans every queued request on each event, so
a burst of answers cost quadratic time.) The middleware puts it in the context, so
listeners receive it as `respond`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

import aiohttp
from slack_sdk.models.blocks import Block

log = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=10.0, connect=5.0)
MAX_CONNECTIONS = 50


class Responder:
    """Owns the pooled session (one per process, opened on first use inside the loop), unless
    given one: a `session` passed in is its owner's to close (tests reach the Slack stand-in
    in-process through one, `bot.runtime.start_runtime(slack_session=...)`)."""

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        self._given = session
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._given is not None:
            return self._given
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=MAX_CONNECTIONS)
            self._session = aiohttp.ClientSession(timeout=TIMEOUT, connector=connector)
        return self._session

    def for_url(self, response_url: str) -> FastRespond:
        return FastRespond(self, response_url)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class FastRespond:
    def __init__(self, responder: Responder, response_url: str) -> None:
        self._responder = responder
        self.response_url = response_url
        self.answered = False
        self._order = asyncio.Lock()  # a progress line never arrives after the answer

    async def progress(self, text: str) -> None:
        """A "working on it" line, unless the answer has already gone."""
        async with self._order:
            if not self.answered:
                await self._post({"text": text, "response_type": "ephemeral"})

    async def __call__(
        self,
        text: str | dict[str, Any] = "",
        blocks: Sequence[Block] | None = None,
        response_type: str | None = None,
        replace_original: bool | None = None,
        delete_original: bool | None = None,
        **extra: Any,
    ) -> int:
        """Posts the message; returns the HTTP status (Slack's answer body is not used)."""
        body: dict[str, Any] = dict(text) if isinstance(text, dict) else {"text": text}
        optional = {
            "blocks": [block.to_dict() for block in blocks] if blocks is not None else None,
            "response_type": response_type,
            "replace_original": replace_original,
            "delete_original": delete_original,
            **extra,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        async with self._order:
            self.answered = True
            return await self._post(body)

    async def _post(self, body: dict[str, Any]) -> int:
        session = self._responder.session()
        async with session.post(
            self.response_url, data=json.dumps(body), headers={"Content-Type": "application/json"}
        ) as response:
            await response.read()
            if response.status >= 400:
                log.warning("response_url answered %s", response.status)
            return response.status


Respond = FastRespond  # what listeners receive as `respond` (same call as Bolt's own)
