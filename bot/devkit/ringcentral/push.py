"""Push notifications as RingCentral sends them: WebHook subscriptions and their deliveries.

- `POST /restapi/v1.0/subscription` first POSTs to the address with a `Validation-Token`
  header and needs it echoed with 200 and `Content-Type: application/json` within 3 s (else
  400: `SUB-520` "Validation Token is not returned", `SUB-525` "WebHook server response is
  invalid"), then answers the
  SubscriptionInfo (`Active`, `expirationTime`, default `expiresIn` 604800).
- Every delivery is a POST with the `Verification-Token` header given at creation and the
  body `{uuid, event, timestamp, subscriptionId, ownerId, body}`; telephony-session bodies
  carry `sequence` (per session, increasing), `telephonySessionId`, `eventTime`, `parties`.
- `GET`, `POST …/renew` (Light) and `DELETE` on `/restapi/v1.0/subscription/{id}`; an unknown
  or expired id answers 404 `SUB-104` (the emulator's tests may also drop one).
"""

from __future__ import annotations

import functools
import logging
import secrets
import ssl
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.devkit.ringcentral import responses as rc
from bot.devkit.ringcentral.guard import Guard, json_body
from bot.devkit.ringcentral.responses import Denied
from bot.devkit.ringcentral.state import EmulatorState
from bot.devkit.ringcentral.telephony import CallSession

log = logging.getLogger(__name__)

DEFAULT_EXPIRES_IN = 604_800
MAX_WEBHOOK_EXPIRES_IN = 315_360_000
VALIDATION_TIMEOUT = 3.0
SESSIONS_FILTER = "/restapi/v1.0/account/~/telephony/sessions"


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Subscription:
    id: str
    filters: list[str]
    address: str
    token: str
    owner_id: int
    created: float
    expires_in: int
    expires_at: float

    def as_api(self, base: str) -> dict[str, Any]:
        return {
            "uri": f"{base}/restapi/v1.0/subscription/{self.id}",
            "id": self.id,
            "creationTime": _iso(self.created),
            "status": "Active",
            "eventFilters": self.filters,
            "expirationTime": _iso(self.expires_at),
            "expiresIn": max(0, int(self.expires_at - time.time())),
            "deliveryMode": {"transportType": "WebHook", "encryption": False, "address": self.address},
        }


@dataclass
class Pusher:
    """The subscriptions and the deliveries (a test or the shell may give a transport)."""

    state: EmulatorState
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    transport: httpx.AsyncBaseTransport | None = None
    delivered: list[dict[str, Any]] = field(default_factory=list)  # what was sent, for tests
    created: int = 0

    def _client(self) -> httpx.AsyncClient:
        # A new connection per delivery, but one SSL context for all: building one loads the
        # CA bundle (~10-25 ms of CPU), which at 1,000 pushes a minute held up the emulator
        return httpx.AsyncClient(
            transport=self.transport, timeout=VALIDATION_TIMEOUT, verify=_tls_context()
        )

    async def validate(self, address: str) -> Denied | None:
        """RingCentral's check of a new address; the refusal it answers, or None."""
        token = secrets.token_hex(16)
        try:
            async with self._client() as client:
                answer = await client.post(address, headers={"Validation-Token": token})
        except httpx.HTTPError:
            answer = None
        if answer is None or answer.status_code != 200:
            return Denied(rc.error(400, "SUB-525", "WebHook server response is invalid"))
        if answer.headers.get("Validation-Token") != token:
            return Denied(rc.error(400, "SUB-520", "Validation Token is not returned"))
        # "SUB-525 Webhook server response is invalid: […] be sure to transmit the HTTP header
        # of Content-type: application/json, even if your response's body is empty."
        # https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
        if not answer.headers.get("Content-Type", "").lower().startswith("application/json"):
            return Denied(rc.error(400, "SUB-525", "WebHook server response is invalid"))
        return None

    async def session_changed(self, session: CallSession) -> None:
        """Tell every live subscription on the account's sessions (sequence goes up by one)."""
        session.sequence += 1
        body = {
            "sequence": session.sequence,
            "sessionId": session.id.removeprefix("s-"),
            "telephonySessionId": session.id,
            "serverId": "emulator",
            "eventTime": _iso(time.time()),
            "origin": {"type": "Call"},
            "parties": [p.as_event(self.state.account_id) for p in session.parties],
        }
        for sub in list(self.subscriptions.values()):
            if sub.expires_at > time.time() and SESSIONS_FILTER in sub.filters:
                await self.deliver(sub, body)

    async def deliver(self, sub: Subscription, body: dict[str, Any]) -> int:
        event = SESSIONS_FILTER.replace("~", str(self.state.account_id))
        note = {
            "uuid": str(uuid.uuid4()),
            "event": event,
            "timestamp": _iso(time.time()),
            "subscriptionId": sub.id,
            "ownerId": str(sub.owner_id),
            "body": body,
        }
        self.delivered.append(note)
        try:
            async with self._client() as client:
                answer = await client.post(
                    sub.address, json=note, headers={"Verification-Token": sub.token}
                )
            return answer.status_code
        except httpx.HTTPError as exc:
            log.warning("emulator: delivery to %s failed: %s", sub.address, type(exc).__name__)
            return 0


def routes(pusher: Pusher, guard: Guard) -> list[Route]:
    base = "/restapi/v1.0/subscription"

    def found(request: Request) -> Subscription:
        guard.grant(request)
        sub = pusher.subscriptions.get(request.path_params["subscription_id"])
        if sub is None or sub.expires_at < time.time():
            raise Denied(rc.error(404, "SUB-104", "Subscription not found"))
        return sub

    def here(request: Request) -> str:
        return f"{request.url.scheme}://{request.url.netloc}"

    async def create(request: Request) -> Response:
        caller = guard.caller(request)
        body = await json_body(request)
        mode = body.get("deliveryMode") or {}
        filters = body.get("eventFilters")
        if not isinstance(filters, list) or not filters or not all(isinstance(f, str) for f in filters):
            raise Denied(rc.error(400, "SUB-101", "Event filters are not specified", "eventFilters"))
        address = str(mode.get("address") or "")
        if mode.get("transportType") != "WebHook" or not address.startswith(("http://", "https://")):
            raise Denied(rc.error(400, "SUB-101", "Delivery mode is invalid", "deliveryMode"))
        refused = await pusher.validate(address)
        if refused is not None:
            raise refused
        expires_in = body.get("expiresIn", DEFAULT_EXPIRES_IN)
        # WebHook: 1 to 315360000 seconds (10 years), the spec's UpdateSubscriptionRequest.
        if not isinstance(expires_in, int) or not 1 <= expires_in <= MAX_WEBHOOK_EXPIRES_IN:
            raise Denied(rc.error(400, "CMN-101", "Parameter [expiresIn] value is invalid", "expiresIn"))
        now = time.time()
        sub = Subscription(
            str(uuid.uuid4()),
            [f.replace(f"/account/{pusher.state.account_id}/", "/account/~/") for f in filters],
            address,
            str(mode.get("verificationToken") or ""),
            caller.id,
            now,
            expires_in,
            now + expires_in,
        )
        pusher.subscriptions[sub.id] = sub
        pusher.created += 1
        return JSONResponse(sub.as_api(here(request)), headers=rc.limits("Medium"))

    async def read(request: Request) -> Response:
        return JSONResponse(found(request).as_api(here(request)), headers=rc.limits("Light"))

    async def renew(request: Request) -> Response:
        sub = found(request)
        sub.expires_at = time.time() + sub.expires_in
        return JSONResponse(sub.as_api(here(request)), headers=rc.limits("Light"))

    async def delete(request: Request) -> Response:
        sub = found(request)
        del pusher.subscriptions[sub.id]
        return Response(status_code=204, headers=rc.limits("Medium"))

    return [
        Route(base, rc.guarded(create), methods=["POST"]),
        Route(f"{base}/{{subscription_id}}", rc.guarded(read), methods=["GET"]),
        Route(f"{base}/{{subscription_id}}", rc.guarded(delete), methods=["DELETE"]),
        Route(f"{base}/{{subscription_id}}/renew", rc.guarded(renew), methods=["POST"]),
    ]
