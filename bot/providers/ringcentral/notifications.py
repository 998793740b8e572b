"""RingCentral's WebHook deliveries: the address check and the telephony-session
notifications, turned into provider-neutral `CallEvent`s (docs/providers.md, "Push").

- A request carrying `Validation-Token` is RingCentral checking the address when a
  subscription is created: echoed at once with 200, `Content-Type: application/json` and an
  empty body (the answer must stay under 1 KiB, within 3 s).
- Every notification then carries the `Verification-Token` given at creation; RingCentral
  does not sign webhooks, so that token is the authenticity check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.calls import CallEvent, CardState
from bot.domain.lines import LineRef
from bot.providers.push import Handshake
from bot.providers.ringcentral.declaration import RINGCENTRAL

WEBHOOK_PATH = "/ringcentral/webhook"  # docs/contract.md "Live calls in Slack"
RINGING_CODES = ("Setup", "Proceeding")
# ⚠ The spec's reason enum has no "CallForwarded"; a pre-call forward is assumed to end the
# party with CallRedirected (README "Provider assumptions").
FORWARDED_REASONS = ("CallRedirected",)
MAX_ECHOED = 200  # the echoed token, kept well under the answer's 1 KiB


def handshake(headers: Mapping[str, str]) -> Handshake | None:
    """RingCentral checking the address: the answer, or None for anything else."""
    validation = headers.get("validation-token")
    if validation is None:
        return None
    # "transmit the HTTP header of Content-type: application/json, even if your
    # response's body is empty", else SUB-525 and no subscription:
    # https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks
    return Handshake(
        headers={"Validation-Token": validation[:MAX_ECHOED]}, media_type="application/json"
    )


def token(headers: Mapping[str, str]) -> str | None:
    """The `Verification-Token` a notification carries."""
    return headers.get("verification-token")


def state_of(code: str, reason: str | None, missed: bool) -> CardState:
    """RingCentral's party status as the card's state."""
    if code in RINGING_CODES:
        return "ringing"
    if code in ("Answered", "Hold", "Parked"):
        return "answered"
    if code in ("VoiceMail", "VoiceMailScreening"):  # the spec's CallStatusInfo spelling
        return "voicemail"
    if reason in FORWARDED_REASONS:
        return "forwarded"
    return "missed" if missed else "ended"


def events(note: object) -> list[CallEvent]:
    """A telephony-session notification's inbound parties at an extension, in its order."""
    body = note.get("body") if isinstance(note, dict) else None
    if not isinstance(body, dict) or not isinstance(body.get("parties"), list):
        return []
    session_id, sequence = str(body.get("telephonySessionId") or ""), int(body.get("sequence") or 0)
    found = []
    for party in body["parties"]:
        if party.get("direction") != "Inbound" or not party.get("extensionId"):
            continue
        extension_id = str(party["extensionId"])
        status, caller = party.get("status") or {}, party.get("from") or {}  # who is calling
        found.append(
            CallEvent(
                session_id=session_id,
                sequence=sequence,
                party_id=str(party.get("id") or ""),
                line=LineRef(RINGCENTRAL, extension_id),
                caller_name=str(caller.get("name") or ""),
                caller_number=str(caller.get("phoneNumber") or ""),
                state=state_of(
                    str(status.get("code")), status.get("reason"), bool(party.get("missedCall"))
                ),
                answered_at=_forwarded_to(body["parties"], extension_id),
            )
        )
    return found


def _forwarded_to(parties: list[Any], extension_id: str) -> str:
    """The number a forwarded leg of the extension was answered at ("" if none): an Outbound
    party of that extension, answered (⚠ the leg's shape is unconfirmed on the platform)."""
    for party in parties:
        if (
            isinstance(party, dict)
            and party.get("direction") == "Outbound"
            and str(party.get("extensionId") or "") == extension_id
            and (party.get("status") or {}).get("code") == "Answered"
        ):
            return str((party.get("to") or {}).get("phoneNumber") or "")
    return ""
