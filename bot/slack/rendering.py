"""Typed messages from the core (`bot.domain.notices`) as mrkdwn, the one place they are written.

Our wording goes as written; a person becomes a mention, a moment a date token each reader
sees in their own zone, an identifier a code span, a chosen name escaped (bold when strong),
an icon its emoji (and a space before the words it marks).
"""

from __future__ import annotations

from bot.domain.notices import Icon, Message, Part, Person, Verbatim, When
from bot.mrkdwn import code, date_token, escape, mention

EMOJI = {Icon.WARNING: ":warning:", Icon.REMINDER: ":alarm_clock:"}


def render(text: str | Message) -> str:
    """A typed message from the core as mrkdwn: mentions, date tokens, code spans, bold names, emoji."""
    return text if isinstance(text, str) else "".join(_part(part) for part in text.parts)


def _part(part: Part) -> str:
    if isinstance(part, str):
        return part  # our own wording, already mrkdwn
    if isinstance(part, Person):
        return mention(part.user_id)
    if isinstance(part, When):
        return date_token(part.moment)
    if isinstance(part, Icon):
        return f"{EMOJI[part]} "
    if isinstance(part, Verbatim):
        return code(part.text)
    return f"*{escape(part.text)}*" if part.strong else escape(part.text)
