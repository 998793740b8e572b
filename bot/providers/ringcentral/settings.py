"""RingCentral's variables (docs/contract.md's configuration table), its section of `Settings`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import SecretStr, field_validator

from bot.providers.settings import ConfigError, ProviderSettings, check_url


class RingCentralSettings(ProviderSettings):
    REQUIRED: ClassVar[tuple[str, ...]] = (
        "ringcentral_client_id",
        "ringcentral_client_secret",
        "ringcentral_jwt",
    )
    SECRETS: ClassVar[tuple[str, ...]] = (
        "ringcentral_client_secret",
        "ringcentral_jwt",
        "ringcentral_signin_client_secret",
    )

    ringcentral_server_url: str = "https://platform.ringcentral.com"
    ringcentral_client_id: str | None = None
    ringcentral_client_secret: SecretStr | None = None
    ringcentral_jwt: SecretStr | None = None
    # The app of personal sign-ins (authorization code): RingCentral gives an app one auth flow.
    ringcentral_signin_client_id: str | None = None
    ringcentral_signin_client_secret: SecretStr | None = None

    @field_validator("ringcentral_server_url")
    @classmethod
    def _ringcentral_url(cls, value: str) -> str:
        check_url(value)
        return value

    def check(self) -> None:
        """The personal sign-in app: both of its variables, and an app of its own."""
        pair = ("ringcentral_signin_client_id", "ringcentral_signin_client_secret")
        given = [name for name in pair if getattr(self, name)]
        if len(given) == 1:
            missing = next(name for name in pair if name not in given)
            raise ConfigError(f"{missing.upper()} is required with {given[0].upper()}")
        if given and self.ringcentral_signin_client_id == self.ringcentral_client_id:
            raise ConfigError(  # an app has one auth flow (docs/contract.md "Sign-in that proves ownership")
                "RINGCENTRAL_SIGNIN_CLIENT_ID must name a second RingCentral app (authorization code), "
                "not the JWT app of RINGCENTRAL_CLIENT_ID: a RingCentral app has one auth flow"
            )

    @property
    def jwt_app(self) -> tuple[str, SecretStr, SecretStr]:
        """The JWT app's client id, secret and JWT (the administrator's token)."""
        client_id: str = self.required("ringcentral_client_id")
        secret: SecretStr = self.required("ringcentral_client_secret")
        jwt: SecretStr = self.required("ringcentral_jwt")
        return client_id, secret, jwt

    @property
    def signin_app(self) -> tuple[str, SecretStr] | None:
        """The personal sign-in app's client id and secret, when both are set."""
        if self.ringcentral_signin_client_id and self.ringcentral_signin_client_secret:
            return self.ringcentral_signin_client_id, self.ringcentral_signin_client_secret
        return None
