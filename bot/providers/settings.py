"""What every provider's settings (`bot/providers/<name>/settings.py`) and `bot.settings` share."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, SecretStr
from pydantic_settings import NoDecode

CsvList = Annotated[list[str], NoDecode]


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it, never its value."""


def split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def check_url(value: str | None) -> None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")


class ProviderSettings(BaseModel):
    """A provider's variables (its section of the settings): `bot.settings` reads every
    provider's from the environment; the emulator builds its own (bot/devkit)."""

    # the variables it can't run without, and its secrets (for log redaction)
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    SECRETS: ClassVar[tuple[str, ...]] = ()

    def check(self) -> None:
        """What its variables must satisfy together (`Settings` asks once they are read,
        after the required ones); raises ConfigError."""

    def given(self) -> list[str]:
        """Its required variables that are set."""
        return [name for name in self.REQUIRED if getattr(self, name) not in (None, "", [])]

    def missing(self) -> list[str]:
        """Its required variables that are unset, in the order it names them."""
        given = self.given()
        return [name for name in self.REQUIRED if name not in given]

    @property
    def complete(self) -> bool:
        """Every variable it can't run without is set (a provider that names none is never
        taken as configured by itself: it runs when SWITCHBOARD_PROVIDERS names it)."""
        return bool(self.REQUIRED) and not self.missing()

    def required(self, name: str) -> Any:
        """A required variable's value; ConfigError naming it when it is unset."""
        value = getattr(self, name)
        if value in (None, "", []):
            raise ConfigError(f"{name.upper()} is required")
        return value

    def secret_values(self) -> list[str]:
        """Its secrets that are set, for log redaction."""
        values = [getattr(self, name) for name in self.SECRETS]
        return [
            v.get_secret_value() for v in values if isinstance(v, SecretStr) and v.get_secret_value()
        ]
