"""How a linked line is named to people (in /switchboard and on the App Home)."""

from __future__ import annotations

from bot.domain.capabilities import LineKind
from bot.domain.records import LinkRecord
from bot.mrkdwn import code, escape
from bot.phone import shown
from bot.providers.registry import KNOWN

HOW_LINKED = {"admin": "linked by an admin", "signin": "linked when you signed in to {provider}"}


def describe_line(link: LinkRecord, region: str) -> str:
    provider = link.provider.display
    how = HOW_LINKED.get(link.source, "matched by your Slack email").format(provider=provider)
    if KNOWN.line_kind(link) is LineKind.VIRTUAL_NUMBER:
        return f"{provider} virtual number {code(shown(link.extension_number, region))} ({how})"
    return f"{provider} extension {code(link.extension_number)}, {escape(link.display_name)} ({how})"
