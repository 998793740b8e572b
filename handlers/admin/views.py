"""Texts and blocks of /switchboard."""

from __future__ import annotations

from bot.mrkdwn import code, mention
from bot.services.identity import ASK_ADMIN
from bot.slack.blocks import Block, context, header, section, sections_of_lines
from bot.store.audit import AuditRecord
from bot.store.links import LinkRecord
from handlers.shared.lines import describe_line

HELP = "\n".join(
    [
        "*Switchboard*: your phone, from Slack.",
        "• `/forward`: your forwarding numbers and quick forwarding",
        "• `/transfer <number|@user|voicemail>`: move your live call",
        "• `/oncall`: who is on call, overrides and schedules",
        "• `/switchboard whoami`: the phone line you are linked to",
        "Admins: `/switchboard link @user <extension>` (or `voipnow:<userId>/<ext>`, "
        "`smspartner:<number>`), `/switchboard unlink @user`, `/switchboard audit [@user] [n]`",
    ]
)


def whoami(user_id: str, lines: list[LinkRecord], is_admin: bool) -> tuple[str, list[Block]]:
    role = " You are a Switchboard admin." if is_admin else ""
    if not lines:
        text = (
            f"{mention(user_id)}, you aren't linked to a phone line yet: no RingCentral user has "
            f"your Slack email, so {ASK_ADMIN}.{role}"
        )
        return text, [section(text)]
    body = "\n".join(f"• {describe_line(link)}" for link in lines)
    text = f"You are {mention(user_id)}.{role}\n{body}"
    return text, [section(text)]


def linked(user_id: str, link: LinkRecord, *, displaced: str | None = None) -> str:
    moved = f" {mention(displaced)} no longer holds it and has been told." if displaced else ""
    return (
        f"Linked {mention(user_id)} to "
        f"{describe_line(link).replace('linked by an admin', 'admin link')}.{moved}"
    )


def line_taken(admin: str, link: LinkRecord) -> str:
    return (
        f"{mention(admin)} moved {describe_line(link).split(' (')[0]} to {mention(link.slack_user_id)}; "
        "Switchboard no longer acts on it for you. Ask a Switchboard admin if that's a mistake."
    )


def unlinked(user_id: str, removed: list[LinkRecord]) -> str:
    if not removed:
        return (
            f"{mention(user_id)} had no line; they won't be linked by email until an admin links them."
        )
    return f"Unlinked {mention(user_id)}; they won't be linked by email until an admin links them again."


def audit(
    entries: list[AuditRecord], user_id: str | None, *, older: bool = False
) -> tuple[str, list[Block]]:
    scope = f" for {mention(user_id)}" if user_id else ""
    if not entries:
        text = f"No changes recorded{scope} yet."
        return text, [section(text)]
    lines = [_audit_line(e) for e in entries]
    text = f"Last {len(entries)} changes{scope}:\n" + "\n".join(lines)
    return text, [
        header("Audit log"),
        *sections_of_lines(lines),
        context(
            f"The {len(entries)} newest changes{scope}, newest first."
            + (" Older ones are not shown (at most 50 at a time)." if older else "")
        ),
    ]


def _audit_line(entry: AuditRecord) -> str:
    when = entry.at.strftime("%Y-%m-%d %H:%M UTC")
    who = mention(entry.actor)
    target = "" if entry.subject == entry.actor else f" for {mention(entry.subject)}"
    return f"• {when} {who} {code(entry.action)}{target} on {code(entry.line)} (ref {entry.request_id})"
