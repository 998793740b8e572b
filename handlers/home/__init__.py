"""The App Home tab: its frame (who I am linked to, quick links) and the `app_home_opened` event.

The sections in between come from the features (forwarding numbers, on-call shifts), each
added to the page when that feature registers.
"""

from __future__ import annotations

from functools import partial

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.slack.blocks import (
    Block,
    View,
    button,
    context,
    divider,
    header,
    modal,
    section,
)
from handlers.shared import Payload, actor_of
from handlers.shared.background import on_home, run_after_ack
from handlers.shared.home_page import HomeHints, home_page, publish_home
from handlers.shared.lines import describe_line
from handlers.shared.sign_in import sign_in_blocks, signs_in
from handlers.shared.windows import open_then_fill

LINE, FOOTER = 10, 90
CONNECT = "home_signin_connect"
SIGN_IN_LINK = "home_signin_open"


def register(app: AsyncApp, runtime: Runtime) -> None:
    page = home_page(runtime)
    page.add(LINE, _line)
    page.add(FOOTER, _footer)
    app.event("app_home_opened")(partial(home_opened, runtime))
    app.action(CONNECT)(partial(connect, runtime))
    app.action(SIGN_IN_LINK)(link_opened)


async def home_opened(runtime: Runtime, event: Payload) -> None:
    if event.get("tab", "home") != "home":
        return
    user = str(event["user"])
    run_after_ack(runtime, publish_home(runtime, user), tell=on_home(runtime, user))


async def connect(runtime: Runtime, ack: AsyncAck, body: Payload, context: AsyncBoltContext) -> None:
    await ack()
    actor = actor_of(context)
    provider = _signs_in(runtime)
    # The window first (a trigger lasts 3 s), the sign-in link after its store write.
    await open_then_fill(
        runtime,
        str(body["trigger_id"]),
        _notice(":hourglass_flowing_sand: Preparing your sign-in link…", provider),
        user=actor.slack_user_id,
        work=lambda view_id: _show_link(runtime, actor, view_id),
        failed=lambda text: _notice(text, provider),
    )


async def link_opened(ack: AsyncAck) -> None:
    await ack()  # Slack opens the URL itself


def _signs_in(runtime: Runtime) -> str:
    """The provider people connect their own sign-in to ("RingCentral")."""
    return signs_in(runtime.providers.capabilities)


def _sign_in_modal(url: str, provider: str) -> View:
    return modal("home_signin", f"Connect {provider}", sign_in_blocks(url, SIGN_IN_LINK, provider), "")


def _notice(text: str, provider: str) -> View:
    return modal("home_signin", f"Connect {provider}", [section(text)], "")


async def _show_link(runtime: Runtime, actor: Actor, view_id: str) -> None:
    url = await runtime.sign_in.start(actor)  # one store write, no provider
    await runtime.slack.views_update(view_id=view_id, view=_sign_in_modal(url, _signs_in(runtime)))


async def _line(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    lines = await runtime.identity.lines_of(user_id)
    if lines:
        region = runtime.settings.switchboard_default_region
        capabilities = runtime.providers.capabilities
        linked = "\n".join(f"• {describe_line(link, region, capabilities)}" for link in lines)
    else:
        linked = "You aren't linked to a phone line yet; ask a Switchboard admin to link you."
    return [header("Switchboard"), section(f"*Your line*\n{linked}")]


async def _footer(runtime: Runtime, user_id: str, _hints: HomeHints) -> list[Block]:
    blocks: list[Block] = [
        divider(),
        section(
            "*Quick links*\n• `/forward`: forwarding numbers and quick forwarding\n"
            "• `/transfer`: move a live call\n• `/oncall`: who is on call"
        ),
    ]
    lines = await runtime.identity.lines_of(user_id)
    if (
        runtime.sign_in.offered(lines)
        and not await runtime.sign_in.connected(user_id)
        and await runtime.sign_in.may_connect(user_id)
    ):
        provider = _signs_in(runtime)
        blocks.append(
            section(
                f"*Connect your {provider}*: with your own login, your requests never wait "
                "behind the rest of the company's.",
                button(f"Connect your {provider}", CONNECT),
            )
        )
    if runtime.is_admin(user_id):
        blocks.append(context("You are a Switchboard admin: `/switchboard help` lists admin tools."))
    return blocks
