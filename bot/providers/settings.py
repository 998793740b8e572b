"""What every provider's settings (`bot/providers/<name>/settings.py`) and `bot.settings` share."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel
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
    """A provider's variables; `Settings` inherits every provider's."""

    # the variables it can't run without, and its secrets (for log redaction)
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    SECRETS: ClassVar[tuple[str, ...]] = ()

    def check(self) -> None:
        """What its variables must satisfy together (`Settings` asks once they are read,
        after the required ones); raises ConfigError."""
