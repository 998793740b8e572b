"""Configuration, read once at start-up from the environment (or `.env`).

Every variable of docs/contract.md's configuration table is read here; each provider's are
declared in its own package (`bot/providers/<name>/settings.py`) and read as that provider's
section (`Settings.section`), for every plug-in the registry lists. Secrets are `SecretStr`;
`load_settings` turns a validation failure into one line that names the variable and never
its value.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import phonenumbers
from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.lines import ProviderName
from bot.providers.registry import PLUGINS
from bot.providers.settings import ConfigError as ConfigError
from bot.providers.settings import CsvList, ProviderSettings, check_url, split_csv

# Not a provider: SWITCHBOARD_PROVIDERS=emulator runs every provider's built-in emulator.
EMULATOR = "emulator"
# Where every section is read from: the environment, then `.env`; names case-insensitive.
FROM_ENVIRONMENT = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)


class Settings(BaseSettings):
    model_config = FROM_ENVIRONMENT

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    database_url: str = "sqlite:///./switchboard.db"

    switchboard_admins: CsvList = Field(default_factory=list)
    switchboard_default_region: str = "US"
    switchboard_providers: CsvList = Field(default_factory=list)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    port: int = Field(default=3000, ge=1, le=65535)
    switchboard_tick_seconds: float = Field(default=15, gt=0)
    provider_timeout_seconds: float = Field(default=15, gt=0)
    switchboard_allowed_countries: CsvList = Field(default_factory=list)  # empty: the default region
    switchboard_public_url: str | None = None
    switchboard_secret_key: SecretStr | None = None
    # Keys sealed with before SWITCHBOARD_SECRET_KEY changed, comma-separated: read only by
    # `switchboard db reseal` (docs/deploy.md "Rotating SWITCHBOARD_SECRET_KEY").
    switchboard_previous_secret_keys: SecretStr | None = None
    switchboard_drift_check_seconds: float = Field(default=300, gt=0)
    # One person's most of any group's 60 s window on the administrator's token (1: no cap).
    switchboard_person_share: float = Field(default=0.2, gt=0, le=1)
    switchboard_metrics_token: SecretStr | None = None  # set: /metrics needs it as a Bearer token

    # Not in docs/contract.md's table: tuning knobs with safe defaults (tests shorten them).
    switchboard_max_background_tasks: int = Field(default=20, ge=1)
    switchboard_retry_scale: float = Field(default=1.0, ge=0)
    switchboard_rate_budget: bool = True  # space calls per RingCentral throttling group
    switchboard_emulator_rate_limits: bool = False  # the built-in RingCentral emulator throttles

    @field_validator(
        "switchboard_admins",
        "switchboard_providers",
        "switchboard_allowed_countries",
        mode="before",
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return split_csv(value)

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case_fold(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return value.lower() if value.lower() in ("text", "json") else value.upper()

    @field_validator("switchboard_default_region")
    @classmethod
    def _region(cls, value: str) -> str:
        region = value.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be a two-letter region code such as US or FR")
        return region

    @field_validator("switchboard_allowed_countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        regions = [code.upper() for code in value]
        for code in regions:
            if code != "*" and code not in phonenumbers.SUPPORTED_REGIONS:
                raise ValueError("must list two-letter region codes such as US,CA,FR (or *)")
        return regions

    @field_validator("switchboard_secret_key")
    @classmethod
    def _secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value() and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters long")
        return value if value is not None and value.get_secret_value() else None

    @field_validator("switchboard_previous_secret_keys")
    @classmethod
    def _previous_keys(cls, value: SecretStr | None) -> SecretStr | None:
        keys = [k.strip() for k in (value.get_secret_value() if value else "").split(",") if k.strip()]
        if any(len(k) < 32 for k in keys):
            raise ValueError("must be keys of at least 32 characters each, comma-separated")
        return SecretStr(",".join(keys)) if keys else None

    @property
    def previous_secret_keys(self) -> list[SecretStr]:
        """SWITCHBOARD_PREVIOUS_SECRET_KEYS, one key each."""
        value = self.switchboard_previous_secret_keys
        return [SecretStr(k) for k in value.get_secret_value().split(",")] if value else []

    @field_validator("switchboard_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parsed = urlsplit(value)
        loopback = parsed.hostname in ("localhost", "127.0.0.1", "::1")
        if parsed.scheme != "https" and not (parsed.scheme == "http" and loopback):
            raise ValueError("must be an https:// URL (plain http only for a loopback address)")
        return value.rstrip("/")

    @field_validator("switchboard_providers")
    @classmethod
    def _providers(cls, value: list[str]) -> list[str]:
        known = {p.name.value for p in PLUGINS} | {EMULATOR}
        for name in value:
            if name.lower() not in known:
                raise ValueError(f"must name only {', '.join(sorted(known))}")
        return [name.lower() for name in value]

    @field_validator("slack_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        check_url(value)
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:// or postgresql+psycopg:// URL")
        return value

    _sections: dict[ProviderName, ProviderSettings] = PrivateAttr(default_factory=dict)

    def section(self, name: ProviderName) -> ProviderSettings:
        """A provider's variables, as its package declares them (`load_settings` reads them)."""
        return self._sections[name]

    def _attach(self, sections: dict[ProviderName, ProviderSettings]) -> None:
        """Each provider's section, checked against the providers named (ConfigError)."""
        self._sections = sections
        # Partly set credentials never fall back to the emulator: a real Slack app against
        # fake phones is worse than not starting (docs/contract.md "A stranger can clone...").
        for name, section in () if self.switchboard_providers else sections.items():
            given, missing = section.given(), section.missing()
            if given and missing:
                raise ConfigError(
                    f"{missing[0].upper()} is required: {given[0].upper()} is set, so {name} "
                    "is used (or set SWITCHBOARD_PROVIDERS=emulator)"
                )
        for name in self._real_providers():
            if missing := sections[name].missing():
                raise ConfigError(f"{missing[0].upper()} is required when {name} is used")
        for section in sections.values():
            section.check()

    @property
    def providers(self) -> tuple[ProviderName, ...]:
        """Providers whose lines are served: every one when emulated, else the real ones in use."""
        every = tuple(p.name for p in PLUGINS)
        return every if self.uses_emulator else self._real_providers()

    @property
    def uses_emulator(self) -> bool:
        """`emulator` named, or nothing named and no provider's credentials set."""
        if self.switchboard_providers:
            return EMULATOR in self.switchboard_providers
        return not self._real_providers()

    @property
    def provider_words(self) -> tuple[str, ...]:
        """SWITCHBOARD_PROVIDERS as in effect: the names given, else those with credentials,
        else `emulator` (what `switchboard check` prints)."""
        if self.switchboard_providers:
            return tuple(self.switchboard_providers)
        return tuple(p.value for p in self._real_providers()) or (EMULATOR,)

    def _real_providers(self) -> tuple[ProviderName, ...]:
        """The real providers named, else those whose credentials are set."""
        if self.switchboard_providers:
            named = self.switchboard_providers
            return tuple(ProviderName(name) for name in named if name != EMULATOR)
        return tuple(name for name, section in self._sections.items() if section.complete)

    def secret_values(self) -> list[str]:
        """Every configured secret, for log redaction."""
        secrets = (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.switchboard_secret_key,
            self.switchboard_metrics_token,
            *self.previous_secret_keys,
        )
        providers = [value for section in self._sections.values() for value in section.secret_values()]
        return [s.get_secret_value() for s in secrets if s and s.get_secret_value()] + providers

    def require(self, *names: str) -> None:
        """Stop start-up when a variable a command needs is unset."""
        for name in names:
            if not getattr(self, name.lower()):
                raise ConfigError(f"{name.upper()} is required for this command")


# Each provider's section as read from the environment: its class and BaseSettings.
_READ_FROM_ENVIRONMENT: dict[ProviderName, type[ProviderSettings]] = {
    plugin.name: type(
        plugin.settings.__name__, (plugin.settings, BaseSettings), {"model_config": FROM_ENVIRONMENT}
    )
    for plugin in PLUGINS
}


def load_settings(**overrides: object) -> Settings:
    """Build settings, each provider's section too, or raise ConfigError with one line naming
    the variable. `overrides` are variables by name (lower case); `_env_file` and the like go
    to every section."""
    options = {k: v for k, v in overrides.items() if k.startswith("_")}
    taken: set[str] = set()
    try:
        sections: dict[ProviderName, ProviderSettings] = {}
        for plugin in PLUGINS:
            fields = plugin.settings.model_fields
            given = {k: v for k, v in overrides.items() if k in fields}
            taken |= set(given)
            sections[plugin.name] = _READ_FROM_ENVIRONMENT[plugin.name](**options, **given)
        rest = {k: v for k, v in overrides.items() if k not in taken}
        settings = Settings(**rest)  # type: ignore[arg-type]
        settings._attach(sections)
        return settings
    except ConfigError:
        raise
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors(include_input=False, include_url=False)[0]
    location = error["loc"]
    if not location:
        cause = error.get("ctx", {}).get("error")
        return str(cause) if isinstance(cause, ConfigError) else error["msg"]
    message = error["msg"].removeprefix("Value error, ")
    return f"{str(location[0]).upper()}: {message[:1].lower()}{message[1:]}"
