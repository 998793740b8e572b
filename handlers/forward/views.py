"""Block Kit of /forward: the list (message and modal), the forms, the confirmations."""

from __future__ import annotations

from collections.abc import Sequence

from bot.mrkdwn import code, escape, mention
from bot.phone import display
from bot.services.forwarding import SHOWN_WITHIN_SECONDS, Change, Listing, Number
from bot.slack.blocks import (
    Block,
    Element,
    View,
    actions,
    button,
    context,
    input_block,
    option,
    overflow,
    section,
    text_input,
    users_select,
)
from bot.slack.blocks import modal as blocks_modal
from handlers.forward.ids import ActionId, BlockId, ViewId
from handlers.shared.forms import Form, Text
from handlers.shared.listeners import ViewMeta


def usage(words: Sequence[str]) -> str:
    """/forward's help; `words`: the type words of the providers in use (`mobile`, `home`,
    `work` on RingCentral: `ForwardingService.type_words`)."""
    picks = f" ({', '.join(code(w) for w in words)} pick that type)" if words else ""
    return "\n".join(
        [
            "*/forward*: your forwarding numbers",
            "• `/forward` opens the forwarding window",
            "• `/forward list [@user]`",
            f"• `/forward add <number> [label]`{picks}",
            "• `/forward edit <label-or-number> <number> [label]`",
            "• `/forward remove <label-or-number>`",
            "• `/forward to <number-or-label> [for 2h | until 18:00]`: forward all calls there",
            "• `/forward voicemail [email]`, `/forward off`, `/forward status [@user]`",
        ]
    )


class Meta(ViewMeta):
    """private_metadata of every /forward view: who opened it, whose line, which number."""

    subject: str
    number: str = ""


class NumberForm(Form):
    """The add and edit forms as submitted."""

    phone: Text = ""
    label: Text = ""


def describe(number: Number, region: str) -> str:
    features = []
    if number.forwarding:
        features.append("forwarding")
    if number.flipping:
        features.append(f"flip {code(number.flip)}" if number.flip else "flip")
    kind = "" if number.label == number.type else f" · {number.type}"
    return (
        f"*{escape(number.label)}*{kind} · {code(display(number.phone, region))} · {', '.join(features)}"
    )


def title(listing: Listing, viewer: str) -> str:
    whose = (
        "Your" if listing.line.slack_user_id == viewer else f"{mention(listing.line.slack_user_id)}'s"
    )
    line = listing.line
    return f"{whose} forwarding numbers · {line.provider.display} ext {code(line.extension_number)}"


def list_message(listing: Listing, viewer: str, region: str) -> tuple[str, list[Block]]:
    head = title(listing, viewer)
    if not listing.numbers:
        text = f"{head}\nNo forwarding numbers yet. Add one with `/forward add <number> [label]`."
        return text, [section(text)]
    rows = "\n".join(f"• {describe(n, region)}" for n in listing.numbers)
    return f"{head}\n{rows}", [section(f"{head}\n{rows}")]


def choices(message: str, numbers: list[Number], region: str) -> str:
    rows = "\n".join(f"• {describe(n, region)}" for n in numbers)
    return f"{message}\n{rows}" if rows else f"{message}\n(no numbers yet)"


def modal(
    callback: ViewId, heading: str, blocks: list[Block], meta: Meta, submit: str | None = None
) -> View:
    return blocks_modal(callback.value, heading, blocks, meta.dump(), submit)


def loading(meta: Meta) -> View:
    return modal(
        ViewId.LOADING, "Forwarding", [section(":hourglass_flowing_sand: Loading your numbers…")], meta
    )


def saving(meta: Meta) -> View:
    return modal(ViewId.SAVING, "Forwarding", [section(":hourglass_flowing_sand: Saving…")], meta)


def list_modal(
    listing: Listing,
    meta: Meta,
    region: str,
    *,
    switch: list[Block],
    notice: str = "",
    admin: bool = False,
) -> View:
    """The numbers, the add button (and, for an admin, whose numbers), then `switch` (the
    forwarding switch's blocks) before the closing note."""
    blocks: list[Block] = []
    if notice:
        blocks.append(context(notice))
    blocks.append(section(title(listing, meta.opener)))
    for number in listing.numbers:
        blocks.append(section(describe(number, region), _row_menu(number) if number.editable else None))
    if not listing.numbers:
        blocks.append(section("No forwarding numbers yet."))
    add = button("Add a number", ActionId.ADD.value, meta.subject, style="primary")
    elements: list[Element] = [add]
    if admin:
        picker = users_select(
            ActionId.PICK_USER.value, initial=meta.subject, placeholder="Manage someone's numbers"
        )
        elements.append(picker)
    blocks.append(actions(*elements, block_id=BlockId.PICKER.value))
    blocks.extend(switch)
    blocks.append(
        context(
            f"Changes made in {listing.line.provider.display}'s own apps show here within "
            f"{SHOWN_WITHIN_SECONDS} seconds."
        )
    )
    return modal(ViewId.LIST, "Forwarding", blocks, meta)


def _row_menu(number: Number) -> Element:
    edit = option(f"Edit {number.label}", f"edit:{number.id}")
    return overflow(ActionId.ROW.value, [edit, option(f"Remove {number.label}", f"remove:{number.id}")])


def form(
    meta: Meta,
    *,
    number: Number | None,
    region: str,
    words: Sequence[str],
    error: tuple[str, str] | None = None,
) -> View:
    """The add (number None) or edit form; `words`: the type words of the line's provider
    (`ForwardingService.type_words`); `error` is (field, sentence as mrkdwn, rendered from the
    service's or the provider's typed sentence)."""
    phone_initial = display(number.phone, region) if number else None
    label_initial = (
        None if number is None else (number.type.lower() if number.named_by_type else number.label)
    )
    blocks = [
        _input(
            BlockId.PHONE,
            "Phone number",
            "(650) 555-0199 or +33 1 42 68 53 00",
            phone_initial,
            optional=False,
        ),
        _input(BlockId.LABEL, _label(words), "Desk", label_initial, optional=True),
    ]
    if error is not None:
        index = 1 if error[0] == BlockId.PHONE else 2
        blocks.insert(index, context(f":warning: {error[1]}"))
    callback = ViewId.EDIT if number else ViewId.ADD
    return modal(callback, "Edit number" if number else "Add a number", blocks, meta, submit="Save")


def _label(words: Sequence[str]) -> str:
    """The label field's name: "Label (mobile, home, work or any name)" on RingCentral."""
    return f"Label ({', '.join(words)} or any name)" if words else "Label"


def _input(block: BlockId, label: str, hint: str, initial: str | None, *, optional: bool) -> Block:
    element = text_input(ActionId.VALUE.value, placeholder=hint, initial=initial)
    return input_block(block.value, label, element, optional=optional)


def confirm_remove(meta: Meta, number: Number, region: str) -> View:
    text = f"Remove {describe(number, region)}?\nCalls will no longer be forwarded there."
    return modal(ViewId.REMOVE, "Remove number", [section(text)], meta, submit="Remove")


def sentence(change: Change, region: str) -> str:
    def show(number: Number) -> str:
        return f"*{escape(number.label)}* {code(display(number.phone, region))}"

    if change.note == "already" and change.after:
        return f"{show(change.after)} is already in the forwarding numbers; nothing changed."
    if change.action == "forwarding.add" and change.after:
        return f"Added {show(change.after)} to the forwarding numbers."
    if change.action == "forwarding.edit" and change.before and change.after:
        return f"Changed {show(change.before)} to {show(change.after)}."
    if change.action == "forwarding.remove" and change.before:
        return f"Removed {show(change.before)} from the forwarding numbers."
    return "Done."
