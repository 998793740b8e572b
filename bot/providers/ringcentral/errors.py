"""RingCentral responses → the shared error tree, in one place."""

from __future__ import annotations

import httpx
from pydantic import ValidationError

from bot.providers.errors import AuthError, NotFound, ProviderError, Rejected
from bot.providers.ringcentral.models import ErrorBody

PROVIDER = "ringcentral"
NOT_ALLOWED = "Switchboard isn't allowed to change that line; an admin has been told."

# errorCode → what the person should read. Unknown codes fall back by status.
_USER_SENTENCES = {
    "CMN-401": NOT_ALLOWED,
    "CMN-402": NOT_ALLOWED,
    "CMN-404": NOT_ALLOWED,
    "CMN-408": NOT_ALLOWED,
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
        "provider": PROVIDER,
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
    user_message = _USER_SENTENCES.get(code or "", "RingCentral rejected that request.")
    return Rejected(message, user_message=user_message, **context)
