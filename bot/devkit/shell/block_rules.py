"""Block Kit as Slack checks it: what the Slack stand-in refuses in `blocks` and `view`.

Two layers. slack_sdk's models parse each block and view and run their own checks of the
documented limits (`to_dict()` validates recursively: text lengths, a section's fields,
an actions block's elements, a select's options…). Then the limits the Block Kit
reference states and slack_sdk does not check (or checks more kindly than Slack) are
checked here on the JSON as sent, each next to the page it comes from.

The answers are Slack's:
- `chat.postMessage`, `chat.postEphemeral`, `chat.update`: `{"ok": false, "error":
  "invalid_blocks", "errors": [...], "response_metadata": {"messages": ["[ERROR] …
  [json-pointer:/blocks/0/text/text]"]}}`, `invalid_blocks_format` when `blocks` is not a
  JSON array (https://docs.slack.dev/reference/methods/chat.postMessage, errors table;
  the message form as Slack answers it, e.g. "[ERROR] must be less than 3001 characters
  [json-pointer:/blocks/0/text/text]").
- `views.open`, `views.push`, `views.update`, `views.publish`: `{"ok": false, "error":
  "invalid_arguments", "response_metadata": {"messages": ["[ERROR] … [json-pointer:/view/…]"]}}`
  (https://docs.slack.dev/reference/methods/views.open: "invalid_arguments"; as Slack
  answers a view over its limits: "[ERROR] no more than 100 items allowed
  [json-pointer:/view/blocks]", "[ERROR] must be less than 24 characters
  [json-pointer:/view/title/text]").
- a `response_url` post: HTTP 400 with a plain-text error in the body, as incoming
  webhooks answer a request they can't take
  (https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks:
  "HTTP 400 Bad Request … the strings we'll return to you in the response body"; the string
  for blocks is `invalid_blocks`, as reported from webhooks: "invalid_blocks (HTTP Code 400)").
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE = "message"
MODAL = "modal"
HOME = "home"

# "You can include up to 50 blocks in each message, and 100 blocks in modals or Home tabs."
# https://docs.slack.dev/reference/block-kit/blocks
MOST_BLOCKS = {MESSAGE: 50, MODAL: 100, HOME: 100}

# "block_id … Maximum length for this field is 255 characters. block_id should be unique
# for each message or view and each iteration of a message or view."
# https://docs.slack.dev/reference/block-kit/blocks/input-block (and every block's page)
BLOCK_ID = 255
# "action_id … Should be unique among all other action_ids in the containing block.
# Maximum length is 255 characters." (every interactive element's page, e.g.
# https://docs.slack.dev/reference/block-kit/block-elements/button-element); Slack answers a
# second one `invalid_blocks`: "`action_id` \"…\" already exists [json-pointer:/blocks/0/elements/1/action_id]"
# (the wording as a third party reported it, in https://github.com/ColeMurray/background-agents/pull/868;
# the refusal itself is what the button element's page states).
ACTION_ID = 255

# "options … An array of option objects. A maximum of 10 options are allowed."
# https://docs.slack.dev/reference/block-kit/block-elements/radio-button-group-element
# https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element
MOST_OPTIONS = {"radio_buttons": 10, "checkboxes": 10, "static_select": 100, "multi_static_select": 100}
# Select menus: "options … Maximum number of options is 100"; "An option_groups array can
# have a maximum number of 100 option groups with a maximum of 100 options."
# https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select
# https://docs.slack.dev/reference/block-kit/composition-objects/option-group-object
MOST_GROUPS = 100
GROUP_OPTIONS = 100
GROUPED = frozenset({"static_select", "multi_static_select"})
# Overflow menu: "Maximum number of options is 5, minimum is 2."
# https://api.slack.com/reference/block-kit/block-elements#overflow (docs.slack.dev now says
# "up to five option objects"; the stated minimum is kept: stricter, never kinder).
OVERFLOW_OPTIONS = (2, 5)

# The surfaces each element works in, where the element table leaves some out:
# https://docs.slack.dev/reference/block-kit/block-elements ("Surfaces" column).
ELEMENT_SURFACES = {
    "email_input": frozenset({MODAL}),
    "number_input": frozenset({MODAL}),
    "file_input": frozenset({MODAL}),
    "rich_text_input": frozenset({MODAL, HOME}),
    "datetimepicker": frozenset({MODAL, MESSAGE}),
}

# Modal view fields: "title … a plain_text text element with a max length of 24
# characters" (required); close and submit "Max length of 24 characters"; "submit is
# required when an input block is within the blocks array"; "private_metadata … Max length
# of 3000 characters"; "callback_id … Max length of 255 characters".
# https://docs.slack.dev/reference/views/modal-views ; external_id "has a max length of 255
# characters": https://docs.slack.dev/reference/methods/views.open
TITLE = 24
BUTTON = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255
EXTERNAL_ID = 255

CHAT_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})


def refusal(method: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a Web API call whose blocks or view Slack would refuse, else None."""
    if method in CHAT_METHODS and "blocks" in args:
        blocks = args["blocks"]
        if not isinstance(blocks, list):
            return {"ok": False, "error": "invalid_blocks_format"}
        problems = message_problems(blocks)
        if problems:
            return {
                "ok": False,
                "error": "invalid_blocks",
                "errors": problems,
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
            }
    if method in VIEW_METHODS:
        view = args.get("view")
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                view = None
        surface = HOME if method == "views.publish" else MODAL
        problems = view_problems(view, surface)
        if problems:
            messages = [f"[ERROR] {p}" for p in problems]
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": messages},
            }
    return None


def response_url_refusal(body: dict[str, Any]) -> str | None:
    """The error a `response_url` post gets (with HTTP 400), else None."""
    blocks = body.get("blocks")
    if blocks is None:
        return None
    if not isinstance(blocks, list):
        return "invalid_blocks_format"
    return "invalid_blocks" if message_problems(blocks) else None


def message_problems(blocks: list[Any]) -> list[str]:
    """What Slack refuses in a message's blocks (empty when it takes them)."""
    return list(_blocks(blocks, MESSAGE, "/blocks"))


def view_problems(view: object, surface: str = MODAL) -> list[str]:
    """What Slack refuses in a view (`surface` modal for views.open/push/update, home for publish)."""
    if not isinstance(view, dict):
        return ["a view object is required [json-pointer:/view]"]
    return list(_view(view, surface))


# -- the walk ----------------------------------------------------------------------------


def _view(view: dict[str, Any], surface: str) -> Iterator[str]:
    kind = view.get("type")
    if kind not in (MODAL, HOME) or (surface == HOME) != (kind == HOME):
        yield f"unsupported view type: {kind} [json-pointer:/view/type]"
        return
    yield from _sdk(lambda: _view_fields(view), "/view")
    if kind == MODAL:
        title = view.get("title")
        if not isinstance(title, dict) or title.get("type") != "plain_text":
            yield "a plain_text title is required [json-pointer:/view/title]"
        yield from _text_at_most(title, TITLE, "/view/title/text")
        yield from _text_at_most(view.get("close"), BUTTON, "/view/close/text")
        yield from _text_at_most(view.get("submit"), BUTTON, "/view/submit/text")
    yield from _at_most(view.get("private_metadata"), PRIVATE_METADATA, "/view/private_metadata")
    yield from _at_most(view.get("callback_id"), CALLBACK_ID, "/view/callback_id")
    yield from _at_most(view.get("external_id"), EXTERNAL_ID, "/view/external_id")
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        yield "blocks is required [json-pointer:/view/blocks]"
        return
    if kind == MODAL and not view.get("submit") and any(_type(b) == "input" for b in blocks):
        yield "submit is required when an input block is within the blocks array [json-pointer:/view/submit]"
    yield from _blocks(blocks, kind, "/view/blocks")


def _blocks(blocks: list[Any], surface: str, at: str) -> Iterator[str]:
    most = MOST_BLOCKS[surface]
    if len(blocks) > most:
        yield f"no more than {most} items allowed [json-pointer:{at}]"
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"{at}/{index}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            yield f"a block object with a type is required [json-pointer:{where}]"
            continue
        yield from _block(block, surface, where)
        if _again(block.get("block_id"), seen):
            yield f"duplicate block_id: {block['block_id']} [json-pointer:{where}/block_id]"


def _block(block: dict[str, Any], surface: str, where: str) -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = Block.parse(dict(block))
    if parsed is None or type(parsed) is Block:
        yield f"unsupported type: {block['type']} [json-pointer:{where}/type]"
        return
    yield from _sdk(lambda: parsed, where)
    yield from _at_most(block.get("block_id"), BLOCK_ID, f"{where}/block_id")
    action_ids: set[str] = set()
    for element, at in _elements(block, where):
        yield from _element(element, surface, at)
        if _again(element.get("action_id"), action_ids):
            yield f'`action_id` "{element["action_id"]}" already exists [json-pointer:{at}/action_id]'


def _again(identifier: object, seen: set[str]) -> bool:
    """Whether this id was seen before in its scope (then noted as seen)."""
    if not isinstance(identifier, str):
        return False
    repeated = identifier in seen
    seen.add(identifier)
    return repeated


def _elements(block: dict[str, Any], where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """The interactive elements a block holds, with their pointers."""
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            yield block[key], f"{where}/{key}"
    if block.get("type") == "actions" and isinstance(block.get("elements"), list):
        for index, element in enumerate(block["elements"]):
            if isinstance(element, dict):
                yield element, f"{where}/elements/{index}"


def _element(element: dict[str, Any], surface: str, at: str) -> Iterator[str]:
    kind = str(element.get("type"))
    yield from _at_most(element.get("action_id"), ACTION_ID, f"{at}/action_id")
    surfaces = ELEMENT_SURFACES.get(kind)
    if surfaces is not None and surface not in surfaces:
        yield f"unsupported type: {kind} in a {surface} [json-pointer:{at}/type]"
    options = element.get("options")
    count = len(options) if isinstance(options, list) else 0
    if kind in MOST_OPTIONS and count > MOST_OPTIONS[kind]:
        yield f"no more than {MOST_OPTIONS[kind]} items allowed [json-pointer:{at}/options]"
    if kind == "overflow" and not OVERFLOW_OPTIONS[0] <= count <= OVERFLOW_OPTIONS[1]:
        low, high = OVERFLOW_OPTIONS
        yield f"must have between {low} and {high} items [json-pointer:{at}/options]"
    groups = element.get("option_groups")
    if kind in GROUPED and isinstance(groups, list):
        if len(groups) > MOST_GROUPS:
            yield f"no more than {MOST_GROUPS} items allowed [json-pointer:{at}/option_groups]"
        for index, group in enumerate(groups):
            grouped = group.get("options") if isinstance(group, dict) else None
            if isinstance(grouped, list) and len(grouped) > GROUP_OPTIONS:
                where = f"{at}/option_groups/{index}/options"
                yield f"no more than {GROUP_OPTIONS} items allowed [json-pointer:{where}]"


def _view_fields(view: dict[str, Any]) -> View:
    """slack_sdk's View of the view's own fields (its blocks are checked one by one)."""
    model = View(**{k: v for k, v in view.items() if k in View.attributes and k != "blocks"})
    model.blocks = None  # type: ignore[assignment]
    return model


def _sdk(build: Callable[[], JsonObject], where: str) -> Iterator[str]:
    """slack_sdk's own checks of a model (recursive through `to_dict()`)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build().to_dict()
    except (SlackObjectFormationError, TypeError, ValueError, AttributeError, KeyError) as error:
        yield f"{error} [json-pointer:{where}]"


def _at_most(value: object, most: int, where: str) -> Iterator[str]:
    if isinstance(value, str) and len(value) > most:
        yield f"must be less than {most + 1} characters [json-pointer:{where}]"


def _text_at_most(text: object, most: int, where: str) -> Iterator[str]:
    if isinstance(text, dict):
        yield from _at_most(text.get("text"), most, where)


def _type(block: object) -> object:
    return block.get("type") if isinstance(block, dict) else None
