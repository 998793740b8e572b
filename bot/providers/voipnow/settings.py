"""VoipNow's variables (docs/contract.md's configuration table), its section of `Settings`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import SecretStr, field_validator

from bot.providers.settings import ProviderSettings, check_url


class VoipNowSettings(ProviderSettings):
    REQUIRED: ClassVar[tuple[str, ...]] = ("voipnow_url", "voipnow_client_id", "voipnow_client_secret")
    SECRETS: ClassVar[tuple[str, ...]] = ("voipnow_client_secret",)

    voipnow_url: str | None = None
    voipnow_client_id: str | None = None
    voipnow_client_secret: SecretStr | None = None

    @field_validator("voipnow_url")
    @classmethod
    def _voipnow_url(cls, value: str | None) -> str | None:
        check_url(value)
        return value

    @property
    def app(self) -> tuple[str, str, SecretStr]:
        """The API's URL, and the app's client id and secret (client credentials)."""
        url: str = self.required("voipnow_url")
        client_id: str = self.required("voipnow_client_id")
        secret: SecretStr = self.required("voipnow_client_secret")
        return url, client_id, secret
