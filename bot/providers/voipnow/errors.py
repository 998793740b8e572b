"""VoipNow answers → the shared error tree; every documented code has its sentence."""

from __future__ import annotations

import json

import httpx

from bot.providers.errors import AuthError, NotFound, ProviderError, Rejected
from bot.providers.voipnow.declaration import VOIPNOW

GENERIC = "VoipNow couldn't transfer that call; please try again or ask an admin."
LINK_WRONG = "Your VoipNow link looks wrong; ask a Switchboard admin to check it."

SENTENCES = {
    "pc_phoncall_invalid": "That call has already ended.",
    "pc_sendcallto_invalid": "VoipNow rejected that destination; check the number or extension.",
    "pc_transfer_from_number_invalid": GENERIC,  # our bug: logged with the code
    "pc_transfer_number_invalid": GENERIC,  # our bug: logged with the code
    "user_invalid": LINK_WRONG,
    "extension_invalid": LINK_WRONG,
    "request_not_implemented": "This VoipNow server can't do that.",
}


def error_for(response: httpx.Response) -> ProviderError:
    code, message = _parse(response)
    context = {"provider": VOIPNOW, "status": response.status_code, "code": code}
    if response.status_code == 401:
        return AuthError(message, **context)  # type: ignore[arg-type]
    if code == "pc_phoncall_invalid":
        return NotFound(message, **context)  # type: ignore[arg-type]
    return Rejected(message, user_message=SENTENCES.get(code or "", GENERIC), **context)


def _parse(response: httpx.Response) -> tuple[str | None, str]:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None, f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or "") or None, str(error.get("message") or "")
    if isinstance(error, str):
        return error, str(body.get("error_description") or error)
    return None, f"HTTP {response.status_code}"
