"""mrkdwn, Slack's text format: escaping what people typed or providers sent, mentions, code.

Plain text helpers (no Block Kit, no Slack client), so core loops can word their notices.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
GROUP = re.compile(r"^<!subteam\^[A-Z0-9]+\|@?([^>]+)>$")


def escape(text: str) -> str:
    """Escape user or provider text for mrkdwn: `<!channel>` and `<@U…>` stay inert."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code(text: str) -> str:
    """An identifier shown verbatim (extension `0003*210`, a number, a label)."""
    return "`" + escape(text).replace("`", "'") + "`"


def mention(slack_user_id: str) -> str:
    return f"<@{slack_user_id}>"


def parse_mention(token: str) -> str | None:
    match = MENTION.match(token.strip())
    return match.group(1) if match else None


def parse_group(token: str) -> str | None:
    """The handle in Slack's `<!subteam^S123|@support-oncall>`, as written after the `@`."""
    match = GROUP.match(token.strip())
    return match.group(1) if match else None


def date_token(moment: datetime) -> str:
    """A time each reader sees in their own zone (Slack's date formatting), for channels."""
    fallback = moment.astimezone(UTC).strftime("%a %d %b %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
