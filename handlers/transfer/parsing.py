"""Reading a /transfer destination: a number, an extension, @user, voicemail or flip <label>."""

from __future__ import annotations

from bot.destinations import DestinationPolicy
from bot.errors import UserError
from bot.mrkdwn import code, escape, mention, parse_mention
from bot.phone import display
from bot.services.calls import Destination

USAGE = "\n".join(
    [
        "*/transfer*: move your live call",
        "• `/transfer` opens a window with your calls",
        "• `/transfer <number>`, `/transfer <extension>`, `/transfer @user`, `/transfer voicemail`",
        "• `/transfer flip <label>`: flip it to one of your forwarding numbers",
        "• Admins: `/transfer for @owner to <destination>`",
    ]
)


def parse_destination(
    text: str, policy: DestinationPolicy, names: dict[str, str] | None = None
) -> Destination:
    """Raise UserError with the usage when the text names no destination.

    A number passes the destination policy here, before any call is looked up; the
    transfer service checks the value again (it may come back from a modal).
    """
    words = text.split()
    if not words:
        raise UserError(USAGE)
    head = words[0].lower()
    if head == "voicemail" and len(words) == 1:
        return Destination("voicemail", "", "voicemail")
    if head == "flip" and len(words) > 1:
        label = " ".join(words[1:])
        return Destination("flip", label, f"your {escape(label)} number (call flip)")
    user = parse_mention(words[0]) if len(words) == 1 else None
    if user:
        return Destination("user", user, (names or {}).get(user, mention(user)))
    joined = "".join(words)
    if policy.extension(joined) is not None:  # the shape of a provider's extension, not refused
        return Destination("extension", joined, f"extension {code(joined)}")
    if not any(ch.isdigit() for ch in joined):
        raise UserError(f"I can't tell where to send the call.\n{USAGE}")
    number = policy.number(" ".join(words))
    return Destination("number", number, code(display(number, policy.region)))
