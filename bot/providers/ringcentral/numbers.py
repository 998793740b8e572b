"""Capability.FORWARDING_NUMBERS on RingCentral: an extension's forwarding numbers (v1) and,
on an upgraded extension, its call-flip numbers (v2)."""

from __future__ import annotations

from typing import Any

from bot.domain.forwarding import Number, NumberChange
from bot.providers.ringcentral.client import RingCentralClient
from bot.providers.ringcentral.handling import Model
from bot.providers.ringcentral.models import ForwardingNumberInfo
from bot.store.links import LinkRecord

MAX_NUMBERS = 10  # an extension's forwarding numbers, at most
# The types a person may change (the others are RingCentral's own, e.g. a desk phone's PhoneLine).
EDITABLE = frozenset({"Home", "Mobile", "Work", "Other"})
# RingCentral honours a label only on type Other (docs/providers.md §3): renaming a Mobile would
# make it Other, and `/forward to mobile` and the on-call default would stop finding it.
NAMED_BY_TYPE: tuple[str, ...] = ("Mobile", "Home", "Work")  # in the order the help lists them
LABELLED_TYPE = "Other"
MOBILE = "Mobile"  # the forwarding number type of a person's mobile phone
PHONE_LINE = "PhoneLine"  # a desk phone of the account's own: its calls ring there anyway


def number_of(info: ForwardingNumberInfo) -> Number:
    return Number(
        id=info.id,
        label=info.label or info.type,
        type=info.type,
        phone=info.phone_number,
        flip=info.flip_number,
        forwarding="CallForwarding" in info.features,
        flipping="CallFlip" in info.features,
        editable=info.type in EDITABLE,
        mobile=info.type == MOBILE,
        named_by_type=info.type in NAMED_BY_TYPE,
        own_phone=info.type == PHONE_LINE,
    )


class RingCentralNumbers:
    """Capability.FORWARDING_NUMBERS on RingCentral (`ForwardingNumbers`, bot/providers/forwarding.py)."""

    max_numbers = MAX_NUMBERS
    named_by_type = NAMED_BY_TYPE
    labelled_type = LABELLED_TYPE
    mobile_type: str | None = MOBILE

    def __init__(self, client: RingCentralClient) -> None:
        self._forwarding = client.forwarding
        self._handling = client.handling

    async def numbers(self, line: LinkRecord) -> list[Number]:
        return [number_of(info) for info in await self._forwarding.list(line.line_id)]

    async def flip_numbers(self, line: LinkRecord) -> list[Number] | None:
        """On an upgraded extension from the v2 call-flip-numbers API, where the migration
        guide moves them; else the forwarding numbers (v1 lists flip digits there)."""
        if await self._handling.model(line.line_id) is not Model.NEW:
            return None
        return [
            Number(
                id=str(r.get("id") or ""),
                label=str(r.get("label") or r.get("type") or ""),
                type=str(r.get("type") or ""),
                phone=str(r.get("phoneNumber") or ""),
                flip=str(r["flipNumber"]) if r.get("flipNumber") else None,
                forwarding=False,
                flipping=True,
                editable=str(r.get("type") or "") in EDITABLE,
                mobile=r.get("type") == MOBILE,
                named_by_type=r.get("type") in NAMED_BY_TYPE,
                own_phone=r.get("type") == PHONE_LINE,
            )
            for r in await self._handling.call_flip_numbers(line.line_id)
        ]

    async def add(self, line: LinkRecord, *, phone: str, type: str, label: str | None) -> Number:
        info = await self._forwarding.create(line.line_id, phone_number=phone, type=type, label=label)
        return number_of(info)

    async def update(self, line: LinkRecord, number_id: str, change: NumberChange) -> Number:
        wanted: dict[str, Any] = {}
        if change.phone is not None:
            wanted["phoneNumber"] = change.phone
        if change.type is not None:
            wanted["type"] = change.type
        if change.label is not None:
            wanted["label"] = change.label
        return number_of(await self._forwarding.update(line.line_id, number_id, changes=wanted))

    async def remove(self, line: LinkRecord, number_id: str) -> None:
        await self._forwarding.delete(line.line_id, number_id)
