"""Notices as typed messages: the core says who, when and what; each sender renders them.

The on-call engine builds a `Message` from parts: our own wording (plain `str`, written as
is), a person, a moment, an identifier shown verbatim, a name people or providers chose.
The Slack side (`bot.slack.notices.render`) turns them into mentions, date tokens and
mrkdwn; an e-mail or SMS sender would render the same message its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
    """An identifier shown as typed (a hotline label, a number, an extension)."""

    text: str


@dataclass(frozen=True)
class Name:
    """A name someone chose (a rotation's); `strong` when it is the notice's subject."""

    text: str
    strong: bool = False


Part = str | Person | When | Verbatim | Name


@dataclass(frozen=True)
class Message:
    parts: tuple[Part, ...]

    def __add__(self, other: Message) -> Message:
        return Message(self.parts + other.parts)


def message(*parts: Part) -> Message:
    return Message(parts)
