"""RingCentral responses → the shared error tree, in one place."""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from bot.domain.notices import Message, Verbatim, message
from bot.providers.errors import AuthError, NotFound, ProviderError, Rejected
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.models import ErrorBody

NOT_ALLOWED = "Switchboard isn't allowed to change that line; an admin has been told."

# errorCode → what the person should read. Unknown codes fall back by status.
_USER_SENTENCES = {
    "CMN-401": NOT_ALLOWED,
    "CMN-402": NOT_ALLOWED,
    "CMN-404": NOT_ALLOWED,
    "CMN-408": NOT_ALLOWED,
}


# Validation failures, keyed by the parameter RingCentral names (its codes are unconfirmed).
_PARAMETER_SENTENCES: dict[str, str | Message] = {
    "phoneNumber": "RingCentral rejected that number: check it, and that it isn't already in your "
    "list or a number of someone in your company.",
    "type": message(
        "RingCentral refused a second number of that type (one Home, Mobile and Work each): "
        "edit the one you have (",
        Verbatim("/forward edit mobile <number>"),
        ") or add this one with your own label.",
    ),
    "device": "That desk phone can't be used as a forwarding number here.",
    "label": "That label is too long (60 characters at most).",
}


def parse_error_body(response: httpx.Response) -> ErrorBody:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        return ErrorBody()


def error_for(response: httpx.Response) -> ProviderError:
    """Map a 4xx answer to the tree; `message` is redacted by ProviderError itself."""
    body = parse_error_body(response)
    code = body.first_code
    message = (body.errors[0].message if body.errors else body.message) or f"HTTP {response.status_code}"
    context = {
        "provider": RINGCENTRAL,
        "status": response.status_code,
        "code": code,
        "request_id": response.headers.get("RCRequestId"),
    }
    status = response.status_code
    if status == 401:
        return AuthError(message, **context)
    if status == 404:
        return NotFound(message, **context)
    if status == 403:
        return Rejected(message, user_message=_USER_SENTENCES.get(code or "", NOT_ALLOWED), **context)
    parameter = body.errors[0].parameter_name if body.errors else None
    user_message = _PARAMETER_SENTENCES.get(parameter or "") or _USER_SENTENCES.get(
        code or "", "RingCentral rejected that request."
    )
    return Rejected(message, user_message=user_message, **context)
