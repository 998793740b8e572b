"""Small pure Block Kit builders over slack_sdk's models (text formatting lives in `bot.mrkdwn`).

Every block, element and view is a `slack_sdk.models` object, so its `to_dict()` runs
slack_sdk's checks of Slack's documented limits (text lengths, option and block counts,
id lengths) before Slack sees it. They become JSON once, where they leave our code: the
Web API client and Bolt's `ack()` call `to_dict()` themselves, `bot.slack.respond` does it
for answers through `response_url`.
"""

from __future__ import annotations

from typing import TypedDict

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    BlockElement,
    ButtonElement,
    ContextBlock,
    ConversationSelectElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    InputInteractiveElement,
    InteractiveElement,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

__all__ = ["Block", "Element", "Field", "MessagePayload", "Option", "View"]

Element = InteractiveElement  # a button, a menu or a picker, as an actions block or a section holds it
Field = InputInteractiveElement  # what a form field (`input_block`) holds: a text box, a select…
SECTION_TEXT = 3000  # Slack's limit on a section's text
OPTION_TEXT = 75  # ... and on an option's
# Options a radio buttons element takes, and a static select (Block Kit reference:
# https://api.slack.com/reference/block-kit/block-elements#radio, #static_select).
RADIO_OPTIONS = 10
SELECT_OPTIONS = 100


class MessagePayload(TypedDict, total=False):
    """The arguments of respond() or chat.postEphemeral (`text` is the notification fallback)."""

    text: str
    response_type: str
    blocks: list[Block]


def header(text: str) -> Block:
    return HeaderBlock(text=PlainTextObject(text=text[:150], emoji=True))


def section(text: str, accessory: BlockElement | None = None) -> Block:
    return SectionBlock(text=MarkdownTextObject(text=text[:SECTION_TEXT]), accessory=accessory)


def context(text: str) -> Block:
    return ContextBlock(elements=[MarkdownTextObject(text=text[:SECTION_TEXT])])


def divider() -> Block:
    return DividerBlock()


def button(text: str, action_id: str, value: str = "", *, style: str | None = None) -> Element:
    return ButtonElement(
        text=PlainTextObject(text=text[:75], emoji=True),
        action_id=action_id,
        value=value[:2000] or None,
        style=style or None,
    )


def link_button(text: str, url: str, action_id: str) -> Element:
    """A button that opens `url` (Slack still sends the app a block action, to be acked)."""
    return ButtonElement(
        text=PlainTextObject(text=text[:75], emoji=True),
        url=url[:3000],
        style="primary",
        action_id=action_id,
    )


def actions(*elements: Element, block_id: str | None = None) -> Block:
    return ActionsBlock(elements=list(elements), block_id=block_id or None)


def plain_text(text: str) -> PlainTextObject:
    return PlainTextObject(text=text)


def option(text: str, value: str) -> Option:
    """One choice of a select, radio buttons or an overflow menu (text within 75 characters)."""
    return Option(text=plain_text(text[:OPTION_TEXT]), value=value)


def text_input(action_id: str, *, placeholder: str | None = None, initial: str | None = None) -> Field:
    return PlainTextInputElement(
        action_id=action_id,
        placeholder=plain_text(placeholder[:150]) if placeholder else None,
        initial_value=initial or None,
    )


def static_select(action_id: str, options: list[Option], initial: Option | None = None) -> Field:
    return StaticSelectElement(action_id=action_id, options=options, initial_option=initial)


def radio_buttons(action_id: str, options: list[Option], initial: Option | None = None) -> Field:
    return RadioButtonsElement(action_id=action_id, options=options, initial_option=initial)


def one_of(action_id: str, options: list[Option], initial: Option | None = None) -> Field:
    """A choice of `options`: radio buttons while Slack takes them (10), else a static select
    of the first 100 (the caller says when some were left out)."""
    if len(options) <= RADIO_OPTIONS:
        return radio_buttons(action_id, options, initial)
    return static_select(action_id, options[:SELECT_OPTIONS], initial)


def overflow(action_id: str, options: list[Option]) -> Element:
    return OverflowMenuElement(action_id=action_id, options=options)


def users_select(action_id: str, *, initial: str | None = None, placeholder: str | None = None) -> Field:
    return UserSelectElement(
        action_id=action_id,
        initial_user=initial or None,
        placeholder=plain_text(placeholder[:150]) if placeholder else None,
    )


def multi_users_select(action_id: str, initial: list[str] | None = None) -> Field:
    return UserMultiSelectElement(action_id=action_id, initial_users=list(initial) if initial else None)


def conversations_select(action_id: str, initial: str | None = None) -> Field:
    """A channel picker, the current conversation chosen when none is given."""
    return ConversationSelectElement(
        action_id=action_id,
        default_to_current_conversation=True,
        initial_conversation=initial or None,
    )


def input_block(block_id: str, label: str, element: Field, *, optional: bool | None = None) -> Block:
    """A form field; `optional` is left out (Slack: required) unless given."""
    return InputBlock(block_id=block_id, label=plain_text(label), element=element, optional=optional)


def home(blocks: list[Block]) -> View:
    """The App Home view."""
    return View(type="home", blocks=blocks)


def message(text: str, blocks: list[Block] | None = None) -> MessagePayload:
    """Arguments for respond()/chat.postEphemeral: `text` is the notification fallback."""
    payload = MessagePayload(text=text, response_type="ephemeral")
    if blocks:
        payload["blocks"] = blocks
    return payload


def modal(
    callback: str, title: str, blocks: list[Block], metadata: str, submit: str | None = None
) -> View:
    """A modal view; `metadata` travels back in private_metadata (re-checked on submit)."""
    return View(
        type="modal",
        callback_id=callback,
        title=plain_text(title[:24]),
        close=plain_text("Close"),
        blocks=blocks,
        private_metadata=metadata,
        submit=plain_text(submit[:24]) if submit else None,
    )


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
