"""People's own RingCentral logins (docs/contract.md "Your own RingCentral sign-in").

RingCentral counts requests per (user, app), so a person who connects gets their own rate
bucket: the authorization-code flow with PKCE gives a token pair for their extension,
kept in the store like the administrator's (sealed, refreshed single-flight under the
store's lock). The client sends a request with a person's own token only when the
request is about that person's own extension; everything else keeps the admin token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from pydantic import SecretStr, ValidationError
from sqlalchemy import delete

from bot.domain.clock import monotonic, now
from bot.providers.errors import ProviderError, SignInExpired
from bot.providers.http import Kind, ProviderHttp
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.errors import error_for
from bot.providers.ringcentral.models import ExtensionInfo
from bot.providers.ringcentral.paths import ACCOUNT
from bot.providers.sign_in import Expired, SignedInLine, SignInPages
from bot.store import Database
from bot.store import tokens as token_store
from bot.store.models import ProviderToken
from bot.store.sealed import PLAIN, SecretBox
from bot.store.tokens import TokenPair

log = logging.getLogger(__name__)

AUTHORIZE_PATH = "/restapi/oauth/authorize"
REVOKE_PATH = "/restapi/oauth/revoke"
# Another instance's connect or disconnect is seen within this long; this instance's at once.
KNOWN_FOR_SECONDS = 60.0

ACCOUNT_PREFIX = "ringcentral-user:"
# The start and callback pages (docs/contract.md "Sign-in that proves ownership") and the
# variables of the sign-in app (bot/providers/ringcentral/settings.py).
PAGES = SignInPages(
    RINGCENTRAL,
    "/ringcentral/oauth",
    ("RINGCENTRAL_SIGNIN_CLIENT_ID", "RINGCENTRAL_SIGNIN_CLIENT_SECRET"),
)


def account_of(slack_user_id: str) -> str:
    return f"{ACCOUNT_PREFIX}{slack_user_id}"


class SignIns:
    """Capability.PERSONAL_SIGN_IN on RingCentral (`PersonalSignIn`, bot/providers/sign_in.py)."""

    provider = RINGCENTRAL  # whose lines a person's own sign-in acts on

    def __init__(
        self,
        *,
        http: ProviderHttp,
        database: Database,
        server_url: str,
        client_id: str,
        client_secret: SecretStr,
        box: SecretBox = PLAIN,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self._http = http
        self._database = database
        self._server_url = server_url.rstrip("/")
        self._client_id = client_id
        self._secret = client_secret
        self._box = box
        self._clock = clock
        self._known: dict[str, tuple[float, TokenManager | None, str]] = {}
        self.on_expired: Expired | None = None

    def authorize_url(self, *, state: str, challenge: str, redirect_uri: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self._server_url}{AUTHORIZE_PATH}?{urlencode(query)}"

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str) -> TokenPair:
        """The code for a token pair (raises Rejected when RingCentral refuses the code)."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        return await self._manager("ringcentral-user:pending").grant(form)

    async def line_of(self, slack_user_id: str, pair: TokenPair) -> SignedInLine:
        """The extension the new token belongs to (`GET …/extension/~` with that token)."""
        request = self._http.client.build_request("GET", f"{ACCOUNT}/extension/~")
        request.headers["Authorization"] = f"Bearer {pair.access_token}"
        response = await self._http.send(
            request, kind=Kind.READ, group="Light", account=account_of(slack_user_id)
        )
        if response.status_code >= 400:
            raise error_for(response)
        try:
            extension = ExtensionInfo.model_validate_json(response.content)
        except ValidationError:
            raise ProviderError("unexpected ExtensionInfo payload", provider=RINGCENTRAL) from None
        return SignedInLine(
            line_id=str(extension.id),
            extension_number=extension.extension_number,
            name=extension.name,
            email=extension.contact.email,
        )

    async def keep(self, slack_user_id: str, pair: TokenPair) -> None:
        account = account_of(slack_user_id)
        async with self._database.locked(account) as session:
            await token_store.write(
                session, account=account, pair=pair, now=self._clock(), box=self._box
            )
        self._known[slack_user_id] = (monotonic(), self._manager(account), pair.owner_id)

    async def tokens_for(self, slack_user_id: str) -> tuple[TokenManager, str] | None:
        """The person's own tokens and extension id, when they are connected."""
        known = self._known.get(slack_user_id)
        if known is None or monotonic() - known[0] > KNOWN_FOR_SECONDS:
            account = account_of(slack_user_id)
            async with self._database.session() as session:
                pair = await token_store.read(session, account=account, box=self._box)
            manager = self._manager(account) if pair is not None else None
            if known is not None and known[1] is not None and pair is not None:
                manager = known[1]  # keep the one holding the fresh pair in memory
            known = (monotonic(), manager, pair.owner_id if pair else "")
            self._known[slack_user_id] = known
        return (known[1], known[2]) if known[1] is not None else None

    async def keep_alive(self, *, before: datetime, limit: int) -> int:
        """Refresh the pairs last renewed before `before`; returns how many were renewed.

        A refresh token lasts 7 days and each refresh gives a new one
        (https://ringcentral.github.io/ringcentral-faq/oauth/): a person who doesn't use
        Switchboard for a week would otherwise have to sign in again. A pair RingCentral
        refuses to refresh is dropped and its person told once (`expired`).
        """
        async with self._database.session() as session:
            accounts = await token_store.written_before(
                session, prefix=ACCOUNT_PREFIX, before=before, limit=limit
            )
        renewed = 0
        for account in accounts:
            slack_user_id = account.removeprefix(ACCOUNT_PREFIX)
            own = await self.tokens_for(slack_user_id)
            if own is None:
                continue
            manager = own[0]
            try:
                # the current token, given as stale: renewed under the store's lock, once,
                # unless another instance renewed it first
                await manager.after_unauthorized(await manager.access_token())
            except SignInExpired:
                await self.expired(slack_user_id)
                continue
            except ProviderError as exc:  # tried again on a later tick
                log.warning("ringcentral: keeping a sign-in alive failed (%s)", type(exc).__name__)
                continue
            renewed += 1
        return renewed

    async def is_connected(self, slack_user_id: str) -> bool:
        return await self.tokens_for(slack_user_id) is not None

    async def forget(self, slack_user_id: str) -> bool:
        """Revoke the person's session at RingCentral and drop the pair; False if none."""
        pair, _ = await self._drop(slack_user_id)
        if pair is None:
            return False
        await self.revoke(slack_user_id, pair)
        return True

    async def revoke(self, slack_user_id: str, pair: TokenPair) -> None:
        """End the pair's session at RingCentral (revoking either token ends both)."""
        account = account_of(slack_user_id)
        request = self._http.client.build_request(
            "POST", REVOKE_PATH, data={"token": pair.refresh_token or pair.access_token}
        )
        request.headers["Authorization"] = self._manager(account).client_auth
        try:
            response = await self._http.send(request, kind=Kind.TOKEN, group="Auth", account=account)
            if response.status_code >= 400:
                log.warning(
                    "ringcentral: revoke answered %d; the pair is forgotten", response.status_code
                )
        except ProviderError as exc:  # forgotten here either way; it expires on its own
            log.warning("ringcentral: revoke failed (%s); the pair is forgotten", type(exc).__name__)

    async def expired(self, slack_user_id: str) -> None:
        """A refresh was refused: forget the pair and tell the person, once."""
        _, dropped = await self._drop(slack_user_id)
        if dropped and self.on_expired is not None:  # another request may have dropped it first
            await self.on_expired(slack_user_id)

    async def _drop(self, slack_user_id: str) -> tuple[TokenPair | None, bool]:
        """Delete the person's stored pair: (the pair as it was, whether a row was deleted)."""
        account = account_of(slack_user_id)
        async with self._database.locked(account) as session:
            pair = await token_store.read(session, account=account, box=self._box)
            result = await session.execute(delete(ProviderToken).where(ProviderToken.account == account))
        self._known[slack_user_id] = (monotonic(), None, "")
        return pair, bool(result.rowcount)  # type: ignore[attr-defined]

    def _manager(self, account: str) -> TokenManager:
        return TokenManager(
            http=self._http,
            database=self._database,
            client_id=self._client_id,
            client_secret=self._secret,
            jwt=None,
            clock=self._clock,
            box=self._box,
            account=account,
        )
