"""Small pure Block Kit builders (text formatting lives in `bot.mrkdwn`)."""

from __future__ import annotations

from typing import Any

Block = dict[str, Any]  # a block, an element or a composition object, as Slack's JSON
View = dict[str, Any]  # a modal or the App Home, as views.open/update/publish take it
MessagePayload = dict[str, Any]  # the arguments of respond() or chat.postEphemeral
SECTION_TEXT = 3000  # Slack's limit on a section's text
OPTION_TEXT = 75  # ... and on an option's


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


def link_button(text: str, url: str, action_id: str) -> Block:
    """A button that opens `url` (Slack still sends the app a block action, to be acked)."""
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:75], "emoji": True},
        "url": url[:3000],
        "style": "primary",
        "action_id": action_id,
    }


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def plain_text(text: str) -> Block:
    return {"type": "plain_text", "text": text}


def option(text: str, value: str) -> Block:
    """One choice of a select, radio buttons or an overflow menu (text within 75 characters)."""
    return {"text": plain_text(text[:OPTION_TEXT]), "value": value}


def text_input(action_id: str, *, placeholder: str | None = None, initial: str | None = None) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id}
    if placeholder:
        element["placeholder"] = plain_text(placeholder[:150])
    if initial:
        element["initial_value"] = initial
    return element


def static_select(action_id: str, options: list[Block], initial: Block | None = None) -> Block:
    element: Block = {"type": "static_select", "action_id": action_id, "options": options}
    if initial is not None:
        element["initial_option"] = initial
    return element


def radio_buttons(action_id: str, options: list[Block], initial: Block | None = None) -> Block:
    element: Block = {"type": "radio_buttons", "action_id": action_id, "options": options}
    if initial is not None:
        element["initial_option"] = initial
    return element


def overflow(action_id: str, options: list[Block]) -> Block:
    return {"type": "overflow", "action_id": action_id, "options": options}


def users_select(action_id: str, *, initial: str | None = None, placeholder: str | None = None) -> Block:
    element: Block = {"type": "users_select", "action_id": action_id}
    if initial:
        element["initial_user"] = initial
    if placeholder:
        element["placeholder"] = plain_text(placeholder[:150])
    return element


def multi_users_select(action_id: str, initial: list[str] | None = None) -> Block:
    element: Block = {"type": "multi_users_select", "action_id": action_id}
    if initial:
        element["initial_users"] = list(initial)
    return element


def conversations_select(action_id: str, initial: str | None = None) -> Block:
    """A channel picker, the current conversation chosen when none is given."""
    element: Block = {
        "type": "conversations_select",
        "action_id": action_id,
        "default_to_current_conversation": True,
    }
    if initial:
        element["initial_conversation"] = initial
    return element


def input_block(block_id: str, label: str, element: Block, *, optional: bool | None = None) -> Block:
    """A form field; `optional` is left out (Slack: required) unless given."""
    block: Block = {"type": "input", "block_id": block_id}
    if optional is not None:
        block["optional"] = optional
    block["label"] = plain_text(label)
    block["element"] = element
    return block


def home(blocks: list[Block]) -> View:
    """The App Home view."""
    return {"type": "home", "blocks": blocks}


def message(text: str, blocks: list[Block] | None = None) -> MessagePayload:
    """Arguments for respond()/chat.postEphemeral: `text` is the notification fallback."""
    payload: MessagePayload = {"text": text, "response_type": "ephemeral"}
    if blocks:
        payload["blocks"] = blocks
    return payload


def modal(
    callback: str, title: str, blocks: list[Block], metadata: str, submit: str | None = None
) -> View:
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


def sections_of_lines(lines: list[str], *, most_sections: int = 20) -> list[Block]:
    """Whole lines packed into sections (never cut mid-line); what doesn't fit is counted."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        line = line[: SECTION_TEXT - 50]
        if current and size + len(line) + 1 > SECTION_TEXT - 50:
            blocks.append(section("\n".join(current)))
            current, size = [], 0
            if len(blocks) == most_sections:
                blocks.append(context(f"…and {len(lines) - index} more not shown."))
                return blocks
        current.append(line)
        size += len(line) + 1
    if current:
        blocks.append(section("\n".join(current)))
    return blocks


def option_text(label: str, detail: str) -> str:
    """`label detail` within an option's 75 characters, shortening the label, never the detail."""
    full = f"{label} {detail}"
    if len(full) <= OPTION_TEXT:
        return full
    room = max(1, OPTION_TEXT - len(detail) - 2)
    return f"{label[:room]}… {detail}"[:OPTION_TEXT]
