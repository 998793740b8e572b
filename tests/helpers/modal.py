"""/forward's modal: opening it and finding its buttons."""

from __future__ import annotations

from typing import Any

from tests.helpers.harness import Harness, Reply


async def open_list(bot: Harness, who: str = "alice") -> tuple[Reply, dict[str, Any]]:
    reply = await bot.command(who, "/forward")
    return reply, bot.latest_view(reply)


def button(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in view["blocks"]:
        for element in block.get("elements", []) + (
            [block["accessory"]] if "accessory" in block else []
        ):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise AssertionError(f"no {action_id} in the view")
