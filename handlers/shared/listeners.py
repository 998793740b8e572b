"""Listener middleware for the checks every window repeats, written once.

A window (modal) carries who opened it in its `private_metadata`, read here as one pydantic
model (`ViewMeta`, each feature adding its own fields); `opened_by_them` drops a button press
or a submission from anyone else (or with forged, garbled metadata) before the listener runs,
and hands the listener the metadata as `context["meta"]`. `admins_only` answers a form of an
admin-only window with the reason under a field. The actor itself is built once per request
by the app's middleware (`actor_of`). Used as `app.view(ID, middleware=[...])(listener)`
(https://docs.slack.dev/tools/bolt-python/concepts/listener-middleware).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_bolt.response import BoltResponse

from handlers.shared import Payload, actor_of

log = logging.getLogger(__name__)

Next = Callable[[], Awaitable[None]]
Middleware = Callable[..., Awaitable[BoltResponse | None]]
META = "meta"  # where `opened_by_them` leaves the window's metadata in the context


class ViewMeta(BaseModel):
    """A window's private_metadata: who opened it (only they may act in it)."""

    model_config = ConfigDict(frozen=True, strict=True)

    opener: str

    def dump(self) -> str:
        return json.dumps(self.model_dump())

    @classmethod
    def load(cls, raw: object) -> Self | None:
        """The metadata, or None when it is missing, garbled or forged into another shape."""
        try:
            return cls.model_validate(json.loads(str(raw or "{}")))
        except (ValueError, ValidationError):
            return None


M = TypeVar("M", bound=ViewMeta)


def opened_by_them(meta_type: type[ViewMeta], *, or_outside: bool = False) -> Middleware:
    """Listener middleware: the window's metadata as `meta_type` in `context["meta"]`, or the
    request acknowledged and dropped when the person acting didn't open that window. With
    `or_outside`, for a button shown both in a window and elsewhere (the App Home, a message),
    a press outside any window goes on too, without metadata (`window_meta` tells which)."""

    async def opened_by_them(
        body: Payload, context: AsyncBoltContext, next: Next
    ) -> BoltResponse | None:
        view = body.get("view")
        if or_outside and not (isinstance(view, dict) and view.get("type") == "modal"):
            await next()
            return None
        meta = meta_type.load(view.get("private_metadata") if isinstance(view, dict) else None)
        if meta is None or meta.opener != context.user_id:
            log.warning(
                "window of %s used by %s: ignored", meta.opener if meta else "?", context.user_id
            )
            return BoltResponse(status=200, body="")
        context[META] = meta
        await next()
        return None

    return opened_by_them


def admins_only(field: str, sentence: str) -> Middleware:
    """Listener middleware for an admin-only form: anyone else sees `sentence` under `field`
    (checked in the ack: no I/O before it)."""

    async def admins_only(ack: AsyncAck, context: AsyncBoltContext, next: Next) -> BoltResponse | None:
        if not actor_of(context).is_admin:
            return await ack(response_action="errors", errors={field: sentence})
        await next()
        return None

    return admins_only


def meta_of(context: AsyncBoltContext, meta_type: type[M]) -> M:
    """The metadata `opened_by_them(meta_type)` checked for this listener."""
    meta = context.get(META)
    if not isinstance(meta, meta_type):
        raise PermissionError("no checked window metadata on this request")
    return meta


def window_meta(context: AsyncBoltContext, meta_type: type[M]) -> M | None:
    """The metadata `opened_by_them(meta_type, or_outside=True)` checked, None for a press
    outside any window."""
    meta = context.get(META)
    return meta if isinstance(meta, meta_type) else None
