"""The port through which core loops (the on-call engine, the scheduler) tell people things.

They say what happened; the Slack side (`bot.slack.notices.Notices`) decides how it is delivered,
retried and, when it can't be, reported to admins.
"""

from __future__ import annotations

from typing import Protocol

from bot.domain.calls import CallCard
from bot.domain.notices import Message

CardPlace = tuple[str, str]  # (channel, message ts) of a card once posted


class Notifier(Protocol):
    async def post(self, channel: str, text: str | Message) -> bool:
        """Deliver `text` (our wording, or a typed `Message` the sender renders) to a user id
        or a channel id; False when it couldn't be."""
        ...

    async def revert_failed(self, slack_user_id: str, text: str | Message, toggle_id: int) -> bool:
        """Tell the owner a timed revert failed, offering to try again now."""
        ...

    async def show_call(
        self, recipient: str, card: CallCard, place: CardPlace | None
    ) -> CardPlace | None:
        """Post the card to a user or channel, or update it where it is; None on failure."""
        ...
