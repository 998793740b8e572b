"""What a person is told when someone else changed their line (docs/contract.md "Everyday")."""

from __future__ import annotations

from typing import Any

from bot.mrkdwn import code, escape, mention

SYSTEM = "switchboard"
# Changes told elsewhere already (a handoff, a replaced link, a given shift) are not here.
WHAT = {
    "forwarding.add": "added the forwarding number {number}",
    "forwarding.edit": "changed your forwarding number to {number}",
    "forwarding.remove": "removed a forwarding number",
    "toggle.on": "turned on {kind}",
    "toggle.off": "turned off the forwarding set with Switchboard",
    "transfer": "moved your live call to {to}",
    "transfer.for": "moved your live call with {caller} to {destination}",
    "link.admin": "linked you to the line {line}",
    "unlink": "unlinked your phone line(s) from Switchboard",
}


def told_about(*, actor: str, subject: str, line: str, action: str, after: Any) -> str | None:
    """The DM for `subject`, or None when they made the change or need no word of it."""
    if actor in (SYSTEM, subject) or subject[:1] not in ("U", "W") or action not in WHAT:
        return None
    details = after if isinstance(after, dict) else {}
    kind = details.get("kind")
    forwarding = f"forwarding to {code(str(details.get('target')))}" if kind == "forward" else ""
    what = WHAT[action].format(
        number=code(str(details.get("phone", ""))),
        kind=forwarding or ("voicemail for every call" if kind == "voicemail" else "call forwarding"),
        to=code(str(details.get("to", "another number"))),
        line=code(str(details.get("extension") or line)),
        caller=escape(str(details.get("with") or "someone")),
        destination=str(details.get("to") or "another number"),  # the label as the mover saw it
    )
    return f"{mention(actor)} {what} for you. Ask them, or a Switchboard admin, if that's unexpected."
