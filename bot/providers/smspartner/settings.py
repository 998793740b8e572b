"""SMSPartner's variables (docs/contract.md's configuration table), its section of `Settings`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator

from bot.providers.settings import CsvList, ProviderSettings, check_url, split_csv


class SmsPartnerSettings(ProviderSettings):
    REQUIRED: ClassVar[tuple[str, ...]] = ("smspartner_api_key", "smspartner_numbers")
    SECRETS: ClassVar[tuple[str, ...]] = ("smspartner_api_key",)

    smspartner_url: str = "https://api.smspartner.fr"
    smspartner_api_key: SecretStr | None = None
    smspartner_numbers: CsvList = Field(default_factory=list)

    @field_validator("smspartner_numbers", mode="before")
    @classmethod
    def _numbers(cls, value: object) -> object:
        return split_csv(value)

    @field_validator("smspartner_url")
    @classmethod
    def _smspartner_url(cls, value: str) -> str:
        check_url(value)
        return value

    @property
    def api_key(self) -> SecretStr:
        key: SecretStr = self.required("smspartner_api_key")
        return key
