"""Notices as typed messages: the core says who, when and what; each sender renders them.

The core (the on-call engine, transfers, call cards, the told DMs, errors about a person)
builds a `Message` from parts: our own wording (plain `str`, written as is), a person, a
moment, an identifier shown verbatim, a name people or providers chose, an icon that marks
the notice (a warning). The Slack side (`bot.slack.rendering.render`) turns them into
mentions, date tokens, emoji and mrkdwn; an e-mail
or SMS sender would render the same message its own way, and a log reads `plain`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from string import Formatter


@dataclass(frozen=True)
class Person:
    """Someone the notice is about (a Slack user id, as members are stored)."""

    user_id: str


@dataclass(frozen=True)
class When:
    """A moment each reader should see in their own time zone."""

    moment: datetime


@dataclass(frozen=True)
class Verbatim:
    """An identifier shown as typed (a hotline label, a number, an extension, a rotation's
    name as commands take it, what someone typed echoed in a refusal)."""

    text: str


@dataclass(frozen=True)
class Name:
    """A name someone chose (a rotation's); `strong` when it is the notice's subject."""

    text: str
    strong: bool = False


class Icon(Enum):
    """What kind of notice this is, shown before its words (Slack: an emoji; a log: nothing)."""

    WARNING = "warning"  # something is at risk or failing
    REMINDER = "reminder"  # a shift about to start


Part = str | Person | When | Verbatim | Name | Icon


@dataclass(frozen=True)
class Message:
    parts: tuple[Part, ...]

    def __add__(self, other: Message) -> Message:
        return Message(self.parts + other.parts)


def message(*parts: Part | Message) -> Message:
    """A message of these parts; a `Message` among them is spliced in, part by part."""
    flat: list[Part] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Message) else (part,))
    return Message(tuple(flat))


def join(separator: str, messages: Iterable[Message]) -> Message:
    """The messages one after another, `separator` (our wording) between each two."""
    parts: list[Part | Message] = []
    for said in messages:
        parts += [separator, said] if parts else [said]
    return message(*parts)


def fill(template: str, **values: Part | Message) -> Message:
    """Our wording with `{name}` fields filled by parts: `fill("linked {line}", line=Verbatim(x))`."""
    parts: list[Part | Message] = []
    for text, field, _, _ in Formatter().parse(template):
        parts.append(text)
        if field is not None:
            parts.append(values[field])
    return message(*(part for part in parts if part != ""))


def plain(text: str | Message) -> str:
    """The words without formatting, for a log: a person as their id, a moment in UTC."""
    if isinstance(text, str):
        return text
    return "".join(_plain(part) for part in text.parts)


def _plain(part: Part) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Person):
        return part.user_id
    if isinstance(part, When):
        return part.moment.astimezone(UTC).strftime("%a %d %b %H:%M UTC")
    if isinstance(part, Icon):
        return ""
    return part.text
