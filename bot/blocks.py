"""Small pure Block Kit builders, and escaping for text people typed or providers sent."""

from __future__ import annotations

import json
import re
from typing import Any

Block = dict[str, Any]

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


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


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def section(text: str, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def divider() -> Block:
    return {"type": "divider"}


def button(text: str, action_id: str, value: str = "", *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "action_id": action_id,
    }
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def message(text: str, blocks: list[Block] | None = None) -> dict[str, Any]:
    """Arguments for respond()/chat.postEphemeral: `text` is the notification fallback."""
    payload: dict[str, Any] = {"text": text, "response_type": "ephemeral"}
    if blocks:
        payload["blocks"] = blocks
    return payload


def modal(
    callback: str, title: str, blocks: list[Block], metadata: str, submit: str | None = None
) -> Block:
    """A modal view; `metadata` travels back in private_metadata (re-checked on submit)."""
    view: Block = {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks,
        "private_metadata": metadata,
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit[:24]}
    return view


def metadata(raw: object) -> dict[str, object]:
    """A view's private_metadata as a dict; anything else (forged, garbled) is empty."""
    try:
        loaded = json.loads(str(raw or "{}"))
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}
