"""Block Kit of /transfer: the call picker modal and its outcome."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import clock
from bot.domain.notices import Message
from bot.mrkdwn import escape
from bot.services.calls import LiveCall
from bot.slack.blocks import Block, actions, button, context, message, section
from bot.slack.blocks import modal as blocks_modal
from bot.slack.rendering import render

CALLBACK = "transfer_form"
RESULT = "transfer_result"
PICK = "transfer_pick_call"  # the button under `/transfer <destination>` with several calls
PICK_LABEL = "Choose the call…"
CALL, DEST, USER, VALUE = "call", "destination", "user", "value"


@dataclass(frozen=True)
class Meta:
    opener: str
    subject: str

    def dump(self) -> str:
        return json.dumps({"opener": self.opener, "subject": self.subject})

    @classmethod
    def load(cls, raw: str) -> Meta:
        data = json.loads(raw or "{}")
        return cls(str(data["opener"]), str(data["subject"]))


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


def modal(
    callback: str, title: str, blocks: list[Block], meta: Meta, submit: str | None = None
) -> dict[str, Any]:
    return blocks_modal(callback, title, blocks, meta.dump(), submit)


def pick_message(count: int, subject: str, destination: str, whose: str) -> dict[str, Any]:
    """Several live calls: a button whose own trigger opens the picker (the command's may
    have expired while the calls were read)."""
    text = f"{whose} {count} live calls; choose the one to transfer to {escape(destination)}."
    value = json.dumps({"subject": subject, "to": destination})
    return message(text, [section(text), actions(button(PICK_LABEL, PICK, value, style="primary"))])


def loading(meta: Meta) -> dict[str, Any]:
    return modal(RESULT, "Transfer", [section(":hourglass_flowing_sand: Looking for your calls…")], meta)


def result(meta: Meta, text: str) -> dict[str, Any]:
    return modal(RESULT, "Transfer", [section(text)], meta)


def form(meta: Meta, calls: list[LiveCall], destination: str = "") -> dict[str, Any]:
    if not calls:
        return result(meta, "No call to transfer right now. Calls show here while they are connected.")
    options = [
        {"text": {"type": "plain_text", "text": describe(c)[:75]}, "value": c.ref[:150]} for c in calls
    ]
    picker: Block = {"type": "radio_buttons", "action_id": VALUE, "options": options}
    if len(options) == 1:
        picker["initial_option"] = options[0]
    destination_input: Block = {
        "type": "plain_text_input",
        "action_id": VALUE,
        "placeholder": {"type": "plain_text", "text": "a number, an extension, or voicemail"},
    }
    if destination:
        destination_input["initial_value"] = destination
    blocks: list[Block] = [
        {
            "type": "input",
            "block_id": CALL,
            "label": {"type": "plain_text", "text": "Call"},
            "element": picker,
        },
        {
            "type": "input",
            "block_id": DEST,
            "optional": True,
            "label": {"type": "plain_text", "text": "Send it to"},
            "element": destination_input,
        },
        {
            "type": "input",
            "block_id": USER,
            "optional": True,
            "label": {"type": "plain_text", "text": "…or to a colleague"},
            "element": {"type": "users_select", "action_id": VALUE},
        },
        context("The list is read when this window opens."),
    ]
    return modal(CALLBACK, "Transfer a call", blocks, meta, submit="Transfer")


def done_text(text: str | Message) -> str:
    return f":white_check_mark: {render(text)}"


def failed_text(text: str) -> str:
    """`text` is a sentence Switchboard wrote, outside text in it already escaped once."""
    return f":warning: {text}"
