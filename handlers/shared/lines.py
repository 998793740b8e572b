"""How a linked line is named to people (in /switchboard and on the App Home)."""

from __future__ import annotations

from bot.domain.capabilities import Capabilities, LineKind
from bot.domain.records import LinkRecord
from bot.mrkdwn import code, escape
from bot.phone import shown

HOW_LINKED = {"admin": "linked by an admin", "signin": "linked when you signed in to {provider}"}


def describe_line(link: LinkRecord, region: str, capabilities: Capabilities) -> str:
    """The line as people read it; `capabilities` say how its provider's lines are named (the
    runtime's: any declared provider's, in use or not)."""
    provider = link.provider.display
    how = HOW_LINKED.get(link.source, "matched by your Slack email").format(provider=provider)
    if capabilities.line_kind(link) is LineKind.VIRTUAL_NUMBER:
        return f"{provider} virtual number {code(shown(link.extension_number, region))} ({how})"
    return f"{provider} extension {code(link.extension_number)}, {escape(link.display_name)} ({how})"
