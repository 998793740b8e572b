"""The "Sign in to RingCentral" offer, as `/switchboard connect` and the App Home show it."""

from __future__ import annotations

from bot.slack.blocks import Block, actions, link_button, section

OFFER = (
    "Sign in to RingCentral to connect your own login: your requests then go in your own "
    "rate bucket, not the whole company's. The link works once, for 10 minutes, in the "
    "browser that opens it."
)


def sign_in_blocks(url: str, action_id: str) -> list[Block]:
    """The offer and its link button (`action_id`: the feature that acks the click)."""
    return [section(OFFER), actions(link_button("Sign in to RingCentral", url, action_id))]
