"""Call cards in Block Kit: the caller, the state, and (while it rings) what to do with it."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.domain.calls import CallCard
from bot.mrkdwn import code, escape, mention
from bot.phone import display
from bot.slack.blocks import Block, actions, button, context, section

VOICEMAIL = "call_card_voicemail"
FORWARD = "call_card_forward"
# One Forward button per number, each its own action_id: Slack refuses two alike in one
# actions block (`invalid_blocks`; docs/emulators.md). The bare id is still taken: cards
# posted before carry it.
FORWARD_ACTIONS = re.compile(rf"^{FORWARD}(:\d+)?$")
TRANSFER = "call_card_transfer"  # opens the /transfer window (the transfer feature answers it)

STATES = {
    "ringing": ":bell: Ringing",
    "answered": ":telephone_receiver: Answered",
    "voicemail": ":envelope_with_arrow: Sent to voicemail",
    "forwarded": ":arrow_right_hook: Forwarded",
    "missed": ":x: Missed",
    "ended": ":white_check_mark: Ended",
}


def forward_action(index: int) -> str:
    """The action_id of the card's `index`-th Forward button (`FORWARD_ACTIONS` matches it)."""
    return f"{FORWARD}:{index}"


def value(card: CallCard, phone: str = "") -> str:
    return json.dumps({"s": card.session_id, "p": card.party_id, "n": phone}, separators=(",", ":"))


def read_value(raw: object) -> tuple[str, str, str] | None:
    """(session, party, number) from a button's value; None when it isn't one of ours."""
    try:
        data = json.loads(str(raw))
        return str(data["s"]), str(data["p"]), str(data.get("n") or "")
    except (ValueError, KeyError, TypeError):
        return None


def card_message(card: CallCard, region: str) -> tuple[str, list[Block]]:
    caller = escape(card.caller_name) if card.caller_name else "Unknown caller"
    number = code(display(card.caller_number, region)) if card.caller_number else ""
    state = STATES[card.state]
    if card.rotation:
        who = f" · on call: {mention(card.on_call)}" if card.on_call else ""
        head = f"*{escape(card.rotation)}* hotline: call from *{caller}* {number}"
        text = f"{head}\n{state}{who}"
        if card.unanswered:
            text += " · nobody answered"
        if card.answered_by:
            text += f" · answered by {mention(card.answered_by)} (backup)"
        return f"{head}: {state}", [section(text)]
    head = f"Call from *{caller}* {number}"
    blocks: list[Block] = [section(f"{head}\n{state}")]
    if card.state == "ringing":
        buttons = [button("Voicemail", VOICEMAIL, value(card))]
        buttons += [
            button(f"Forward to my {label}"[:75], forward_action(index), value(card, phone))
            for index, (label, phone) in enumerate(card.numbers)
        ]
        blocks.append(actions(*buttons, block_id=f"call:{card.session_id}"))
    elif card.state == "answered":
        blocks.append(
            actions(button("Transfer…", TRANSFER, value(card)), block_id=f"call:{card.session_id}")
        )
        blocks.append(context("Answered: move it to a number, a colleague or voicemail."))
    return f"{head}: {state}", blocks


def card_kwargs(card: CallCard, region: str) -> dict[str, Any]:
    text, blocks = card_message(card, region)
    return {"text": text, "blocks": blocks}
