"""The "Sign in to <provider>" offer, as `/switchboard connect` and the App Home show it; the
provider is the one that brings Capability.PERSONAL_SIGN_IN ("RingCentral")."""

from __future__ import annotations

from bot.domain.capabilities import Capabilities, Capability
from bot.slack.blocks import Block, actions, link_button, section


def signs_in(capabilities: Capabilities) -> str:
    """How people see the name of the provider whose own sign-in they connect."""
    return capabilities.named(Capability.PERSONAL_SIGN_IN)


def offer(provider: str) -> str:
    return (
        f"Sign in to {provider} to connect your own login: your requests then go in your own "
        "rate bucket, not the whole company's. The link works once, for 10 minutes, in the "
        "browser that opens it."
    )


def sign_in_blocks(url: str, action_id: str, provider: str) -> list[Block]:
    """The offer and its link button (`action_id`: the feature that acks the click)."""
    return [section(offer(provider)), actions(link_button(f"Sign in to {provider}", url, action_id))]
