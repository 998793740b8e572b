"""RingCentral tokens: one pair per login in the store, shared by every instance.

The administrator's pair comes from the JWT; a person's own pair (`/switchboard connect`,
bot.providers.ringcentral.sign_ins) from the authorization-code flow, and when its refresh
is refused it is gone for good (SignInExpired): there is no JWT to log in with again.

Each JWT login opens a RingCentral session and the platform caps sessions per user, so
the bot logs in once per deployment and refreshes the shared pair. Refresh tokens are
single-use and a refresh kills the old access token: refresh is single-flight, under a
process lock and the store's row lock, re-reading the row once the lock is held (another
instance may have refreshed already). Never revoke on shutdown: that would end the session
of every instance.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from pydantic import SecretStr, ValidationError

from bot import redact
from bot.domain.clock import now
from bot.providers.errors import AuthError, ProviderError, Rejected, SignInExpired
from bot.providers.http import Kind, ProviderHttp
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.errors import parse_error_body
from bot.providers.ringcentral.models import TokenInfo
from bot.store import Database
from bot.store import tokens as token_store
from bot.store.sealed import PLAIN, SecretBox
from bot.store.tokens import TokenPair

log = logging.getLogger(__name__)

TOKEN_PATH = "/restapi/oauth/token"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
REFRESH_AHEAD = timedelta(minutes=5)
CREDENTIALS_REJECTED = (
    "RingCentral credentials were rejected; an admin must check RINGCENTRAL_* settings."
)


class TokenManager:
    def __init__(
        self,
        *,
        http: ProviderHttp,
        database: Database,
        client_id: str,
        client_secret: SecretStr,
        jwt: SecretStr | None,
        clock: Callable[[], datetime] = now,
        on_rejected: Callable[[str], Awaitable[None]] | None = None,
        box: SecretBox = PLAIN,
        account: str | None = None,
    ) -> None:
        self._http = http
        self._box = box
        self._database = database
        self.client_auth = _basic(client_id, client_secret.get_secret_value())
        self._jwt = jwt
        self._clock = clock
        self._lock = asyncio.Lock()
        self._pair: TokenPair | None = None
        self.account = account or f"ringcentral:{client_id}"
        self.credentials_rejected = False
        self._on_rejected = on_rejected

    async def access_token(self) -> str:
        pair = self._pair
        if pair is not None and self._fresh(pair):
            return pair.access_token
        return (await self._renew(stale=None)).access_token

    async def after_unauthorized(self, stale_token: str) -> str:
        """A call got 401 with `stale_token`: renew once (unless someone already did)."""
        return (await self._renew(stale=stale_token)).access_token

    @property
    def owner_id(self) -> str:
        return self._pair.owner_id if self._pair else ""

    def _fresh(self, pair: TokenPair) -> bool:
        return pair.expires_at - REFRESH_AHEAD > self._clock()

    async def _renew(self, *, stale: str | None) -> TokenPair:
        if self.credentials_rejected:
            raise AuthError(CREDENTIALS_REJECTED, provider=RINGCENTRAL)
        async with self._lock:
            pair = self._pair
            if pair is not None and self._fresh(pair) and pair.access_token != stale:
                return pair
            async with self._database.locked(self.account) as session:
                pair = await token_store.read(
                    session, account=self.account, for_update=True, box=self._box
                )
                if pair is not None:
                    redact.register(pair.access_token, pair.refresh_token)
                if pair is None or not self._fresh(pair) or pair.access_token == stale:
                    pair = await self._obtain(pair)
                    await token_store.write(
                        session, account=self.account, pair=pair, now=self._clock(), box=self._box
                    )
            self._pair = pair
            return pair

    async def _obtain(self, current: TokenPair | None) -> TokenPair:
        if current is not None and current.refresh_token and self._refreshable(current):
            try:
                return await self.grant(
                    {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
                )
            except Rejected as exc:
                if self._jwt is None:
                    raise SignInExpired("refresh refused", provider=RINGCENTRAL) from None
                log.warning("ringcentral: refresh refused (%s); logging in with the JWT once", exc.code)
        if self._jwt is None:
            raise SignInExpired("no usable sign-in", provider=RINGCENTRAL)
        try:
            return await self.grant({"grant_type": JWT_GRANT, "assertion": self._jwt.get_secret_value()})
        except (Rejected, AuthError):
            self.credentials_rejected = True
            log.error("ringcentral: %s", CREDENTIALS_REJECTED)
            if self._on_rejected is not None:
                await self._on_rejected(CREDENTIALS_REJECTED)
            raise AuthError(CREDENTIALS_REJECTED, provider=RINGCENTRAL) from None

    def _refreshable(self, pair: TokenPair) -> bool:
        return pair.refresh_expires_at is None or pair.refresh_expires_at > self._clock()

    async def grant(self, form: dict[str, str]) -> TokenPair:
        """One token request with the app's client credentials (refresh, JWT or code)."""
        request = self._http.client.build_request("POST", TOKEN_PATH, data=form)
        request.headers["Authorization"] = self.client_auth
        response = await self._http.send(request, kind=Kind.TOKEN, group="Auth", account=self.account)
        if response.status_code != 200:
            body = parse_error_body(response)
            context = {
                "provider": RINGCENTRAL,
                "status": response.status_code,
                "code": body.first_code,
            }
            if response.status_code in (400, 401, 403):
                raise Rejected(
                    body.error or "token refused", user_message=CREDENTIALS_REJECTED, **context
                )
            raise ProviderError(f"token endpoint answered {response.status_code}", **context)  # type: ignore[arg-type]
        try:
            info = TokenInfo.model_validate_json(response.content)
        except ValidationError:
            raise ProviderError("token response unreadable", provider=RINGCENTRAL) from None
        # Known to the redactor before anything (the store, its driver's log) sees them.
        redact.register(info.access_token, info.refresh_token)
        now = self._clock()
        refresh_ttl = info.refresh_token_expires_in
        return TokenPair(
            access_token=info.access_token,
            refresh_token=info.refresh_token,
            expires_at=now + timedelta(seconds=info.expires_in),
            refresh_expires_at=now + timedelta(seconds=refresh_ttl) if refresh_ttl else None,
            owner_id=info.owner_id,
        )


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
