"""Forwarding numbers on RingCentral, with docs/design.md's rules for what may be resent.

A create is never resent once sent: after a timeout or 5xx we re-list and match the phone
number to learn what happened. PUT and DELETE are re-read after an uncertain answer and
sent once more only if the state is not yet what we asked; DELETE answering 404 is done.
"""

from __future__ import annotations

from typing import Any

from bot.providers.errors import NotFound, Unavailable
from bot.providers.http import Kind
from bot.providers.ringcentral.models import ForwardingNumberInfo, ForwardingNumberList
from bot.providers.ringcentral.paths import ACCOUNT, PER_PAGE
from bot.providers.ringcentral.requests import Requests


def _base(extension_id: str) -> str:
    return f"{ACCOUNT}/extension/{extension_id}/forwarding-number"


class ForwardingNumbers:
    def __init__(self, requests: Requests) -> None:
        self._requests = requests

    async def list(self, extension_id: str) -> list[ForwardingNumberInfo]:
        """Every page (Light); usually one call."""
        records: list[ForwardingNumberInfo] = []
        page = 1
        while True:
            result = await self._requests.call(
                "GET",
                _base(extension_id),
                ForwardingNumberList,
                group="Light",
                params={"page": page, "perPage": PER_PAGE},
            )
            records.extend(result.records)
            if result.navigation.next_page is None or page >= result.paging.total_pages:
                return records
            page += 1

    async def get(self, extension_id: str, number_id: str) -> ForwardingNumberInfo:
        path = f"{_base(extension_id)}/{number_id}"
        return await self._requests.call("GET", path, ForwardingNumberInfo, group="Light")

    async def create(
        self, extension_id: str, *, phone_number: str, type: str, label: str | None
    ) -> ForwardingNumberInfo:
        body: dict[str, Any] = {"phoneNumber": phone_number, "type": type}
        if label and type == "Other":
            body["label"] = label
        try:
            return await self._requests.call(
                "POST",
                _base(extension_id),
                ForwardingNumberInfo,
                group="Medium",
                kind=Kind.CREATE,
                json=body,
            )
        except Unavailable as exc:
            if not exc.sent:
                raise
            # Never resend: find out whether the platform made it.
            for existing in await self.list(extension_id):
                if existing.phone_number == phone_number:
                    return existing
            raise

    async def update(
        self, extension_id: str, number_id: str, *, changes: dict[str, Any]
    ) -> ForwardingNumberInfo:
        path = f"{_base(extension_id)}/{number_id}"
        for attempt in (1, 2):
            try:
                return await self._requests.call(
                    "PUT", path, ForwardingNumberInfo, group="Medium", kind=Kind.WRITE, json=changes
                )
            except Unavailable as exc:
                if not exc.sent or attempt == 2:
                    raise
                current = await self.get(extension_id, number_id)
                if _applied(current, changes):
                    return current
        raise AssertionError("unreachable")

    async def delete(self, extension_id: str, number_id: str) -> None:
        path = f"{_base(extension_id)}/{number_id}"
        for attempt in (1, 2):
            try:
                await self._requests.send("DELETE", path, group="Medium", kind=Kind.WRITE)
                return
            except NotFound:
                return  # already gone: done
            except Unavailable as exc:
                if not exc.sent or attempt == 2:
                    raise
                try:
                    await self.get(extension_id, number_id)
                except NotFound:
                    return


def _applied(current: ForwardingNumberInfo, changes: dict[str, Any]) -> bool:
    wanted_phone = changes.get("phoneNumber", current.phone_number)
    wanted_type = changes.get("type", current.type)
    return bool(current.phone_number == wanted_phone and current.type == wanted_type)
