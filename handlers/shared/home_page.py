"""The App Home as a page of sections each feature contributes (features never import one another).

A feature adds its section when it registers (`home_page(runtime).add(order, build)`); any
feature refreshes a person's Home after a change with `publish_home`, passing what the
change already knows (`HomeHints`) so nothing it just read is read twice.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.runtime import Runtime
from bot.slack.blocks import Block, context, home, section
from bot.slack.errors import describe

log = logging.getLogger(__name__)
REMEMBERED_SECTIONS = 20_000  # last good section per person, for when a provider can't answer


@dataclass(frozen=True)
class HomeHints:
    """What a change just learnt: a line's numbers as they now are, the forwarding status."""

    numbers: list[Any] | None = None
    status: str | None = None
    status_on: bool = True  # with `status`: whether something is on (a "Turn off" is offered)


Section = Callable[[Runtime, str, HomeHints], Awaitable[list[Block]]]


class HomePage:
    """The sections in order. A section whose provider can't answer (busy, down) shows what
    it last showed this person, with a note saying so and when; the rest are fresh."""

    def __init__(self) -> None:
        self._sections: list[tuple[int, Section]] = []
        self._last: dict[tuple[str, int], tuple[list[Block], datetime]] = {}

    def add(self, order: int, build: Section) -> None:
        self._sections.append((order, build))
        self._sections.sort(key=lambda pair: pair[0])

    async def blocks(self, runtime: Runtime, user_id: str, hints: HomeHints) -> list[Block]:
        found: list[Block] = []
        for order, build in self._sections:
            found.extend(await self._section(runtime, user_id, hints, order, build))
        return found

    async def _section(
        self, runtime: Runtime, user_id: str, hints: HomeHints, order: int, build: Section
    ) -> list[Block]:
        key = (user_id, order)
        try:
            blocks = await build(runtime, user_id, hints)
        except Exception as exc:
            sentence = describe(exc, log)
            last = self._last.get(key)
            if last is None:
                return [section(f":hourglass: {sentence}")]
            when = last[1].strftime("%H:%M UTC")
            note = f":hourglass: {sentence} Shown as it was at {when}; open Home again to refresh."
            return [context(note), *last[0]]
        if len(self._last) >= REMEMBERED_SECTIONS:
            self._last.pop(next(iter(self._last)))
        self._last[key] = (blocks, runtime.clock())
        return blocks


_pages: weakref.WeakKeyDictionary[Runtime, HomePage] = weakref.WeakKeyDictionary()


def home_page(runtime: Runtime) -> HomePage:
    """The one page of this runtime (each test harness has its own)."""
    page = _pages.get(runtime)
    if page is None:
        page = _pages[runtime] = HomePage()
    return page


async def publish_home(
    runtime: Runtime,
    user_id: str,
    *,
    numbers: list[Any] | None = None,
    status: str | None = None,
    status_on: bool = True,
) -> None:
    """The App Home of `user_id`, read fresh (on open and after every change)."""
    hints = HomeHints(numbers, status, status_on)
    blocks = await home_page(runtime).blocks(runtime, user_id, hints)
    await runtime.slack.views_publish(user_id=user_id, view=home(blocks))
