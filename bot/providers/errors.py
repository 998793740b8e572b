"""The provider exception tree, shared by every client.

    ProviderError            anything a provider call can raise
    ├── AuthError            our credentials or token were refused (configuration)
    │   └── SignInExpired    a person's own sign-in died (they connect again)
    ├── RateLimited          429: nothing of that group may be sent until `retry_after`
    ├── NotFound             the thing is gone (number deleted, call ended)
    ├── Rejected             the provider refused the request; `user_message` says why
    └── Unavailable          unreachable, timed out or 5xx; `sent` tells whether it may
                             have been applied (then callers re-read, never resend)

Every error carries the provider, HTTP status, provider error code and request id for the
logs. `message` is redacted before it is stored: providers echo what we sent. `sentence()` is
what a person is told (`bot.errors.said` asks every `ExternalError` for it, knowing no provider).
"""

from __future__ import annotations

from bot.domain import notices
from bot.domain.lines import ProviderName
from bot.errors import ExternalError
from bot.redact import redact


class ProviderError(ExternalError):
    def __init__(
        self,
        message: str,
        *,
        provider: ProviderName,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.message = redact(message)
        self.provider = provider
        self.status = status
        self.code = code
        self.request_id = request_id
        super().__init__(self.message)

    def log_fields(self) -> dict[str, object]:
        return {
            "provider": self.provider,
            "status": self.status,
            "code": self.code,
            "provider_request_id": self.request_id,
            "detail": self.message,
        }

    def sentence(self) -> str | notices.Message:
        return f"{self.provider.display} didn't answer; please try again in a moment."


class AuthError(ProviderError):
    """Credentials rejected or token unusable after one renewal."""

    def sentence(self) -> str:
        name = self.provider.display
        return f"Switchboard can't sign in to {name} right now; an admin has been told."


class SignInExpired(AuthError):
    """A person's own sign-in can no longer be refreshed: they must connect again."""


class RateLimited(ProviderError):
    """`own_share`: the person used their share of a shared token; others are still served."""

    def __init__(
        self, message: str, *, retry_after: float, own_share: bool = False, **context: object
    ) -> None:
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.retry_after = retry_after
        self.own_share = own_share

    def sentence(self) -> str:
        name, seconds = self.provider.display, max(1, round(self.retry_after))
        if self.own_share:
            return (
                f"You've used your share of {name} requests for this minute; "
                f"please try again in {seconds} seconds."
            )
        return f"{name} is busy; please try again in {seconds} seconds."


class NotFound(ProviderError):
    def sentence(self) -> str:
        return f"{self.provider.display} says that no longer exists; refresh and try again."


class Rejected(ProviderError):
    """Refused by the provider. `said` is one sentence fit for a person (`user_message`: its
    plain words)."""

    def __init__(self, message: str, *, user_message: str | notices.Message, **context: object) -> None:
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.said = notices.message(user_message)
        self.user_message = notices.plain(self.said)

    def sentence(self) -> notices.Message:
        return self.said


class Unavailable(ProviderError):
    def __init__(self, message: str, *, sent: bool = False, **context: object) -> None:
        super().__init__(message, **context)  # type: ignore[arg-type]
        self.sent = sent

    def sentence(self) -> str | notices.Message:
        if self.sent:
            return (
                f"{self.provider.display} didn't answer in time and I couldn't confirm the "
                "change; check before trying again."
            )
        return super().sentence()
