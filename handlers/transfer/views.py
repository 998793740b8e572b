"""Block Kit of /transfer: the call picker modal and its outcome."""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.domain import clock
from bot.domain.notices import Message
from bot.mrkdwn import escape
from bot.services.calls import LiveCall
from bot.slack.blocks import (
    SELECT_OPTIONS,
    Block,
    MessagePayload,
    View,
    actions,
    button,
    context,
    input_block,
    message,
    one_of,
    option,
    section,
    text_input,
    users_select,
)
from bot.slack.blocks import modal as blocks_modal
from bot.slack.rendering import render
from handlers.shared.forms import Form, Text
from handlers.shared.listeners import ViewMeta

CALLBACK = "transfer_form"
RESULT = "transfer_result"
PICK = "transfer_pick_call"  # the button under `/transfer <destination>` with several calls
PICK_LABEL = "Choose the call…"
CALL, DEST, USER, VALUE = "call", "destination", "user", "value"


class Meta(ViewMeta):
    """private_metadata of the /transfer window: who opened it, whose calls."""

    subject: str


class TransferForm(Form):
    """The window as submitted: the call, and a typed destination or a colleague."""

    call: Text = ""
    destination: Text = ""
    user: Text = ""


class Picked(BaseModel):
    """The value of "Choose the call…": whose calls, and the destination as typed."""

    model_config = ConfigDict(frozen=True, strict=True)

    subject: str
    to: str

    def dump(self) -> str:
        return json.dumps({"subject": self.subject, "to": self.to})

    @classmethod
    def load(cls, raw: object) -> Picked | None:
        try:
            return cls.model_validate(json.loads(str(raw or "{}")))
        except (ValueError, ValidationError):
            return None


def describe(call: LiveCall, now: datetime | None = None) -> str:
    minutes = _minutes(call.started, now or clock.now())
    how_long = f" · {minutes} min" if minutes is not None else ""
    state = "" if call.movable else " · ringing"
    return f"{call.other} · {call.direction.lower()} · {call.provider_name}{how_long}{state}"


def _minutes(started: str, now: datetime) -> int | None:
    try:
        began = datetime.fromisoformat(started.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0, int((now - began).total_seconds() // 60))


def modal(callback: str, title: str, blocks: list[Block], meta: Meta, submit: str | None = None) -> View:
    return blocks_modal(callback, title, blocks, meta.dump(), submit)


def pick_message(count: int, subject: str, destination: str, whose: str) -> MessagePayload:
    """Several live calls: a button whose own trigger opens the picker (the command's may
    have expired while the calls were read)."""
    text = f"{whose} {count} live calls; choose the one to transfer to {escape(destination)}."
    value = Picked(subject=subject, to=destination).dump()
    return message(text, [section(text), actions(button(PICK_LABEL, PICK, value, style="primary"))])


def loading(meta: Meta) -> View:
    return modal(RESULT, "Transfer", [section(":hourglass_flowing_sand: Looking for your calls…")], meta)


def result(meta: Meta, text: str) -> View:
    return modal(RESULT, "Transfer", [section(text)], meta)


def form(meta: Meta, calls: list[LiveCall], destination: str = "") -> View:
    if not calls:
        return result(meta, "No call to transfer right now. Calls show here while they are connected.")
    options = [option(describe(c), c.ref[:150]) for c in calls]
    picker = one_of(VALUE, options, options[0] if len(options) == 1 else None)
    hint = "a number, an extension, or voicemail"
    shown = min(len(options), SELECT_OPTIONS)
    listed = "The list is read when this window opens."
    if shown < len(options):
        listed = f"The first {shown} of your {len(options)} live calls; the list is read when this window opens."
    blocks: list[Block] = [
        input_block(CALL, "Call", picker),
        input_block(
            DEST, "Send it to", text_input(VALUE, placeholder=hint, initial=destination), optional=True
        ),
        input_block(USER, "…or to a colleague", users_select(VALUE), optional=True),
        context(listed),
    ]
    return modal(CALLBACK, "Transfer a call", blocks, meta, submit="Transfer")


def done_text(text: str | Message) -> str:
    return f":white_check_mark: {render(text)}"


def failed_text(text: str) -> str:
    """`text` is a sentence Switchboard wrote, outside text in it already escaped once."""
    return f":warning: {text}"
