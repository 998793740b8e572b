"""What a person is told when someone else changed their line (docs/contract.md "Everyday")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.notices import Message, Name, Person, Verbatim, fill, message
from bot.services import change_words as words

SYSTEM = "switchboard"
# Changes told elsewhere already (a handoff, a replaced link, a given shift) are not here.
WHAT = {
    "forwarding.add": "added the forwarding number {number}",
    "forwarding.edit": "changed your forwarding number to {number}",
    "forwarding.remove": "removed a forwarding number",
    "toggle.on": "turned on {kind}",
    "toggle.off": "turned off the forwarding set with Switchboard",
    "transfer": "moved your live call to {to}",
    "transfer.for": "moved your live call with {caller} to {to}",
    "link.admin": "linked the line {line}",
    "unlink": "unlinked your phone line(s) from Switchboard",
}


@dataclass(frozen=True)
class Told:
    """The DM for a change someone else made, put in words when it is sent (the region,
    SWITCHBOARD_DEFAULT_REGION, writes its numbers as everywhere else)."""

    actor: str
    action: str
    line: str
    after: Any

    def text(self, region: str) -> Message:
        details = self.after if isinstance(self.after, dict) else {}
        kind = details.get("kind")
        if kind == "forward":
            forwarding = message("forwarding to ", words.phone(details.get("target"), region))
        else:
            forwarding = message(
                "voicemail for every call" if kind == "voicemail" else "call forwarding"
            )
        what = fill(
            WHAT[self.action],
            number=words.phone(details.get("phone"), region),
            kind=forwarding,
            to=words.destination(details, region),
            line=Verbatim(str(details.get("extension") or self.line)),
            caller=Name(str(details.get("with") or "someone")),  # a caller id: text from outside
        )
        return message(
            Person(self.actor),
            " ",
            what,
            " for you. Ask them, or a Switchboard admin, if that's unexpected.",
        )


def told_about(*, actor: str, subject: str, line: str, action: str, after: Any) -> Told | None:
    """The DM for `subject`, or None when they made the change or need no word of it."""
    if actor in (SYSTEM, subject) or subject[:1] not in ("U", "W") or action not in WHAT:
        return None
    return Told(actor=actor, action=action, line=line, after=after)
