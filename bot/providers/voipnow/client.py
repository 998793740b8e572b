"""VoipNow UnifiedAPI client: client-credentials token, live calls, transfer.

No refresh token: a token is asked for again ~5 minutes before it expires, single-flight.
A transfer is sent at most once (docs/design.md); and never without a phone call id, because the
server would then move every call of the extension.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from bot import redact
from bot.domain.clock import monotonic
from bot.providers.errors import AuthError, ProviderError, Rejected
from bot.providers.http import Kind, ProviderHttp
from bot.providers.voipnow.declaration import VOIPNOW
from bot.providers.voipnow.errors import error_for

RENEW_AHEAD_SECONDS = 300.0
KNOWN_EXTENSION_SECONDS = 300.0  # like RingCentral's directory cache
EXTENSION = re.compile(r"^\d{4}\*\d{3}$")  # the extended form `0003*210`
GROUP = "voipnow"  # no documented throttling groups


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class CallView(_Model):
    extension: str = ""
    source: list[str] = []
    destination: list[str] = []
    flow: int = 0
    status: int = 0
    caller_id: str = Field("", alias="callerId")


class PhoneCall(_Model):
    id: str
    extension: str = ""
    published: str = ""
    views: list[CallView] = Field([], alias="phoneCallView")

    def view_of(self, extension: str) -> CallView | None:
        return next((v for v in self.views if v.extension == extension), None)


class PhoneCallList(_Model):
    entry: list[PhoneCall] = []


class TokenAnswer(_Model):
    access_token: str
    expires_in: int = 3600


class VoipNowClient:
    provider = VOIPNOW

    def __init__(
        self, *, http: ProviderHttp, client_id: str, client_secret: SecretStr, base_url: str
    ) -> None:
        self._http = http
        self._client_id = client_id
        self._secret = client_secret
        self._base_url = base_url.rstrip("/")
        self._token: tuple[str, float] | None = None
        self._lock = asyncio.Lock()
        self._known: dict[str, float] = {}

    async def phone_calls(self, user_id: str, extension: str) -> list[PhoneCall]:
        response = await self._send("GET", f"/uapi/phoneCalls/{user_id}/{extension}", kind=Kind.READ)
        try:
            return PhoneCallList.model_validate_json(response.content).entry
        except ValidationError:
            raise ProviderError("unexpected phone call list", provider=VOIPNOW) from None

    async def transfer(
        self, user_id: str, extension: str, call_id: str, *, send_to: str, from_number: str, moved: str
    ) -> None:
        body = {
            "action": "Transfer",
            "sendCallTo": send_to,
            "transferFromNumber": from_number,
            "transferNumber": moved,
        }
        await self._act(user_id, extension, call_id, body)

    async def to_voicemail(
        self, user_id: str, extension: str, call_id: str, *, mailbox: str, moved: str
    ) -> None:
        body = {"action": "TransferToVoicemail", "sendCallTo": mailbox, "transferNumber": moved}
        await self._act(user_id, extension, call_id, body)

    async def extension_exists(self, extension: str) -> bool:
        """Is `extension` (extended form) one of the organization's?

        UnifiedAPI has no directory to list (PROVIDERS §6); an extension's phone-call list
        read for `@owner` (whoever owns it) answers 400 `extension_invalid` for one that
        doesn't exist. Known ones are kept five minutes; identical asks in flight share one
        read.
        """
        if not EXTENSION.match(extension):
            return False
        now = monotonic()
        if self._known.get(extension, 0.0) > now:
            return True
        path = f"/uapi/phoneCalls/@owner/{extension}"
        try:
            await self._http.shared_read(
                ("extension", extension),
                lambda: self._send("GET", path, kind=Kind.READ, params={"count": 1}),
            )
        except Rejected as exc:
            if exc.code in ("extension_invalid", "user_invalid"):
                return False
            raise
        self._known[extension] = now + KNOWN_EXTENSION_SECONDS
        return True

    async def probe(self) -> None:
        await self._access_token()

    async def _act(self, user_id: str, extension: str, call_id: str, body: dict[str, Any]) -> None:
        if not call_id.strip():
            raise ValueError(
                "refusing to send a VoipNow transfer without a call id (it would move every call)"
            )
        path = f"/uapi/phoneCalls/{user_id}/{extension}/{call_id}"
        await self._send("PUT", path, kind=Kind.CREATE, json=body)  # 200, 202 and 204 all mean accepted

    async def _send(
        self,
        method: str,
        path: str,
        *,
        kind: Kind,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        token = await self._access_token()
        for renewed in (False, True):
            request = self._http.client.build_request(method, path, json=json, params=params)
            request.headers["Authorization"] = f"Bearer {token}"
            response = await self._http.send(request, kind=kind, group=GROUP)
            if response.status_code != 401 or renewed:
                break
            self._token = None
            token = await self._access_token()
        if response.status_code >= 400:
            raise error_for(response)
        return response

    async def _access_token(self) -> str:
        current = self._token
        if current and current[1] - RENEW_AHEAD_SECONDS > monotonic():
            return current[0]
        async with self._lock:
            current = self._token
            if current and current[1] - RENEW_AHEAD_SECONDS > monotonic():
                return current[0]
            form = {
                "client_id": self._client_id,
                "client_secret": self._secret.get_secret_value(),
                "grant_type": "client_credentials",
                "type": "unifiedapi",
                "redirect_uri": f"{self._base_url}/ouath/token.php",  # 4psa's spelling, kept as they send it
            }
            request = self._http.client.build_request("POST", "/oauth/token.php", data=form)
            response = await self._http.send(request, kind=Kind.TOKEN, group=GROUP)
            if response.status_code >= 400:
                raise AuthError(
                    "VoipNow credentials were rejected",
                    provider=VOIPNOW,
                    status=response.status_code,
                )
            answer = TokenAnswer.model_validate_json(response.content)
            redact.register(answer.access_token)
            self._token = (answer.access_token, monotonic() + answer.expires_in)
            return answer.access_token
