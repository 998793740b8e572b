"""Capability.PERSONAL_SIGN_IN: a person signs in to the provider themselves (their own rate
bucket); the provider's package implements `PersonalSignIn` (docs/contract.md) and says where
its start and callback pages are served (`SignInPages`: our URL paths, part of the contract)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.lines import ProviderName
from bot.store.tokens import TokenPair

Expired = Callable[[str], Awaitable[None]]  # tells the person to connect again


@dataclass(frozen=True, slots=True)
class SignedInLine:
    """The line a new sign-in belongs to."""

    line_id: str
    extension_number: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class SignInPages:
    """Where a provider's own sign-in is served: the start page (`base`/start), the callback
    the provider sends the browser back to (`base`/callback), and the cookie's path (`base`).
    A provider that declares PERSONAL_SIGN_IN brings them even when its sign-in app isn't set."""

    provider: ProviderName
    base: str  # e.g. "/ringcentral/oauth"
    app_settings: tuple[str, ...] = ()  # the variables that set its sign-in app up

    @property
    def start(self) -> str:
        return f"{self.base}/start"

    @property
    def callback(self) -> str:
        return f"{self.base}/callback"


class PersonalSignIn(Protocol):
    provider: ProviderName  # whose lines a person's own sign-in acts on
    on_expired: Expired | None

    def authorize_url(self, *, state: str, challenge: str, redirect_uri: str) -> str: ...

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str) -> TokenPair:
        """The code for a token pair (raises Rejected when the provider refuses the code)."""
        ...

    async def line_of(self, slack_user_id: str, pair: TokenPair) -> SignedInLine: ...

    async def keep(self, slack_user_id: str, pair: TokenPair) -> None: ...

    async def keep_alive(self, *, before: datetime, limit: int) -> int: ...

    async def is_connected(self, slack_user_id: str) -> bool: ...

    async def forget(self, slack_user_id: str) -> bool: ...

    async def revoke(self, slack_user_id: str, pair: TokenPair) -> None: ...
