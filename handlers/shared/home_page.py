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
from typing import Any

from bot.errors import describe
from bot.runtime import Runtime
from bot.slack.blocks import Block, header, section

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HomeHints:
    """What a change just learnt: a line's numbers as they now are, the forwarding status."""

    numbers: list[Any] | None = None
    status: str | None = None


Section = Callable[[Runtime, str, HomeHints], Awaitable[list[Block]]]


class HomePage:
    def __init__(self) -> None:
        self._sections: list[tuple[int, Section]] = []

    def add(self, order: int, build: Section) -> None:
        self._sections.append((order, build))
        self._sections.sort(key=lambda pair: pair[0])

    async def blocks(self, runtime: Runtime, user_id: str, hints: HomeHints) -> list[Block]:
        try:
            found: list[Block] = []
            for _, build in self._sections:
                found.extend(await build(runtime, user_id, hints))
            return found
        except Exception as exc:
            return [header("Switchboard"), section(describe(exc, log))]


_pages: weakref.WeakKeyDictionary[Runtime, HomePage] = weakref.WeakKeyDictionary()


def home_page(runtime: Runtime) -> HomePage:
    """The one page of this runtime (each test harness has its own)."""
    page = _pages.get(runtime)
    if page is None:
        page = _pages[runtime] = HomePage()
    return page


async def publish_home(
    runtime: Runtime, user_id: str, *, numbers: list[Any] | None = None, status: str | None = None
) -> None:
    """The App Home of `user_id`, read fresh (on open and after every change)."""
    blocks = await home_page(runtime).blocks(runtime, user_id, HomeHints(numbers, status))
    await runtime.slack.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})
