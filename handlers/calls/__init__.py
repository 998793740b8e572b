"""Incoming-call cards: their buttons, `/switchboard calls on|off` lives in admin.

A button is checked in the service before any provider call (only the person the card was
posted to may press it); its idempotency key is the message, the button and its value, so
two clicks on one rendered button send one request.
"""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import Block, button, section
from bot.slack.call_cards import FORWARD_ACTIONS, VOICEMAIL, read_value
from bot.slack.errors import describe
from bot.slack.rendering import render
from handlers.shared import Payload, actor_of
from handlers.shared.background import by_dm, run_after_ack
from handlers.shared.home_page import HomeHints, home_page, publish_home

log = logging.getLogger(__name__)
SWITCH = "home_call_cards"
HOME_ORDER = 80


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(VOICEMAIL)(partial(pressed, runtime))
    app.action(FORWARD_ACTIONS)(partial(pressed, runtime))
    home_page(runtime).add(HOME_ORDER, _home_section)
    app.action(SWITCH)(partial(switched, runtime))


async def pressed(
    runtime: Runtime,
    ack: AsyncAck,
    body: Payload,
    action: Payload,
    context: AsyncBoltContext,
) -> None:
    await ack()
    actor = actor_of(context)
    found = read_value(action.get("value"))
    if found is None:
        return
    container = body.get("container") or {}
    key = f"{container.get('message_ts', '')}:{action.get('action_id')}:{action.get('value')}"
    tell = by_dm(runtime, actor.slack_user_id)
    run_after_ack(runtime, _act(runtime, actor, found, key), tell=tell)


async def switched(runtime: Runtime, ack: AsyncAck, action: Payload, context: AsyncBoltContext) -> None:
    await ack()
    actor = actor_of(context)
    on = action.get("value") == "on"
    tell = by_dm(runtime, actor.slack_user_id)
    run_after_ack(runtime, _switch(runtime, actor, on=on), tell=tell)


async def _switch(runtime: Runtime, actor: Actor, *, on: bool) -> None:
    await runtime.cards.opt(actor.slack_user_id, on=on)
    await publish_home(runtime, actor.slack_user_id)


async def _home_section(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    """The switch for incoming-call cards, where RingCentral can push calls."""
    if not runtime.push.enabled:
        return []
    on = await runtime.cards.opted_in(user_id)
    text = (
        "*Incoming-call cards*: on. A ringing call at your extension comes here with buttons."
        if on
        else "*Incoming-call cards*: off. Turn them on to see who calls, and send a call on in one click."
    )
    return [section(text, button("Turn off" if on else "Turn on", SWITCH, "off" if on else "on"))]


async def _act(runtime: Runtime, actor: Actor, found: tuple[str, str, str], key: str) -> None:
    session_id, party_id, phone = found
    try:
        said = render(
            await runtime.cards.act(
                actor, session_id=session_id, party_id=party_id, phone=phone, key=key
            )
        )
    except Exception as exc:
        said = f":warning: {describe(exc, log)}"
    if said:
        await runtime.notify(actor.slack_user_id, said)
