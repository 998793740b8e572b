"""Texts and blocks of /switchboard."""

from __future__ import annotations

from bot.domain.capabilities import Capabilities
from bot.domain.records import LinkRecord
from bot.mrkdwn import mention
from bot.providers.specs import LineTyping
from bot.services.identity import ASK_ADMIN
from bot.slack.blocks import (
    Block,
    context,
    header,
    section,
    sections_of_lines,
)
from bot.slack.rendering import render
from handlers.shared.lines import describe_line
from handlers.shared.sign_in import offer, sign_in_blocks

SIGN_IN_LINK = "signin_open"
MAX_SHOWN = 50


def help_text(typing: LineTyping, signs_in: str) -> str:
    """What /switchboard does; how a line is typed comes from the providers in use."""
    return "\n".join(
        [
            "*Switchboard*: your phone, from Slack.",
            "• `/forward`: your forwarding numbers and quick forwarding",
            "• `/transfer <number|@user|voicemail>`: move your live call",
            "• `/oncall`: who is on call, overrides and schedules",
            "• `/switchboard whoami`: the phone line you are linked to",
            f"• `/switchboard connect` / `disconnect`: use your own {signs_in} sign-in",
            "• `/switchboard calls on|off`: a DM with buttons when a call rings your phone",
            f"Admins: `/switchboard link @user <extension>`{render(typing.link_alternatives)}, "
            "`/switchboard unlink @user`, `/switchboard audit [@user] [line <ext>] [n]`",
        ]
    )


def whoami(
    user_id: str,
    lines: list[LinkRecord],
    is_admin: bool,
    *,
    region: str,
    capabilities: Capabilities,
    signs_in: str,
    directory: str,
    connected: bool = False,
    offered: bool = False,
) -> tuple[str, list[Block]]:
    """Who I am and my lines; the own sign-in said once, and only to whom it applies."""
    role = " You are a Switchboard admin." if is_admin else ""
    if connected:
        role += f" Your own {signs_in} sign-in is connected."
    elif offered:
        role += f" You haven't connected your own {signs_in} sign-in (`/switchboard connect`)."
    if not lines:
        text = (
            f"{mention(user_id)}, you aren't linked to a phone line yet: no {directory} user has "
            f"your Slack email, so {render(ASK_ADMIN)}.{role}"
        )
        return text, [section(text)]
    body = "\n".join(f"• {describe_line(link, region, capabilities)}" for link in lines)
    text = f"You are {mention(user_id)}.{role}\n{body}"
    return text, [section(text)]


def linked(
    user_id: str,
    link: LinkRecord,
    *,
    region: str,
    capabilities: Capabilities,
    displaced: str | None = None,
) -> str:
    moved = f" {mention(displaced)} no longer holds it and has been told." if displaced else ""
    return (
        f"Linked {mention(user_id)} to "
        f"{describe_line(link, region, capabilities).replace('linked by an admin', 'admin link')}.{moved}"
    )


def line_taken(admin: str, link: LinkRecord, region: str, capabilities: Capabilities) -> str:
    line = describe_line(link, region, capabilities).split(" (")[0]
    return (
        f"{mention(admin)} moved {line} to {mention(link.slack_user_id)}; "
        "Switchboard no longer acts on it for you. Ask a Switchboard admin if that's a mistake."
    )


def unlinked(user_id: str, removed: list[LinkRecord]) -> str:
    if not removed:
        return (
            f"{mention(user_id)} had no line; they won't be linked by email until an admin links them."
        )
    return f"Unlinked {mention(user_id)}; they won't be linked by email until an admin links them again."


def audit(rows: list[str], scope: str, *, more: int) -> tuple[str, list[Block]]:
    if not rows:
        text = f"No changes recorded{scope} yet."
        return text, [section(text)]
    tail = (
        f" {more} more not shown: `/switchboard audit {MAX_SHOWN}` shows up to {MAX_SHOWN}, "
        "`@user` or `line <extension>` narrows it."
        if more > 0
        else ""
    )
    text = (
        f"Last {len(rows)} changes{scope}:\n" + "\n".join(rows) + (f"\n{tail.strip()}" if tail else "")
    )
    return text, [
        header("Audit log"),
        *sections_of_lines(rows),
        context(f"The {len(rows)} newest changes{scope}, newest first, in your time.{tail}"),
    ]


def connect(url: str, signs_in: str) -> tuple[str, list[Block]]:
    text = f"{offer(signs_in)}\n<{url}|Sign in to {signs_in}>"
    return text, sign_in_blocks(url, SIGN_IN_LINK, signs_in)


def disconnected(had: bool, signs_in: str) -> str:
    if not had:
        return f"Your own {signs_in} sign-in wasn't connected; nothing changed."
    return (
        f"Disconnected: your {signs_in} sign-in was revoked and forgotten. Switchboard acts on "
        "your line with the company login again."
    )


def calls_switched(on: bool, *, live: bool, pushes: str) -> str:
    """`pushes`: the provider that pushes calls ("RingCentral")."""
    if not on:
        return "Incoming-call cards are off; calls ring as they always did."
    text = (
        "Incoming-call cards are on: when a call rings your extension, you get a DM naming "
        "the caller, with buttons to send it to voicemail or to one of your numbers."
    )
    if not live:
        text += (
            f" This deployment has no SWITCHBOARD_PUBLIC_URL yet, so {pushes} can't tell "
            "Switchboard about calls; cards start once an admin sets it."
        )
    return text
