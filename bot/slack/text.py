"""What a person typed, from the text Slack sends a slash command (`should_escape: true`).

Slack sends users as `<@U123|name>`, channels as `<#C123|name>`, and links as
`<mailto:a@b.c|a@b.c>`, `<tel:+1…|…>` or `<https://…|label>`; `&`, `<` and `>` that the
person typed arrive as `&amp;`, `&lt;`, `&gt;` and are left so by `plain()` (an escaped
`<@U…>` typed as text must never become a mention). Every command's text goes through
`plain()` once, before any handler reads it; a label the person typed goes through
`read_back()` once, after the command's mentions are read, before it goes to a provider
(stored as typed, shown escaped once with `bot.mrkdwn.escape`).
Slack: https://api.slack.com/reference/surfaces/formatting#escaping
"""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(amp|lt|gt);")
_TYPED = {"amp": "&", "lt": "<", "gt": ">"}
_TOKEN = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_USER = re.compile(r"^@([UW][A-Z0-9]+)$")
_CHANNEL = re.compile(r"^#([CG][A-Z0-9]+)$")


def plain(text: str) -> str:
    """Mentions kept as `<@U123>`, channels as `<#C123>`; links replaced by what was typed."""
    return _TOKEN.sub(_one, text)


def _one(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    user = _USER.match(target)
    if user:
        return f"<@{user.group(1)}>"
    channel = _CHANNEL.match(target)
    if channel:
        return f"<#{channel.group(1)}>"
    for scheme in ("mailto:", "tel:"):
        if target.startswith(scheme):
            return label or target.removeprefix(scheme)
    if target.startswith(("http://", "https://")):
        return label or target
    if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S123|@team>: never a target
        return label or "@" + target[1:].split("^")[0]
    return match.group(0)


def read_back(text: str) -> str:
    """What the person typed, from Slack's escaped text: one pass, so `&amp;lt;` is the
    `&lt;` they typed, never `<`."""
    return _ENTITY.sub(lambda match: _TYPED[match.group(1)], text)
