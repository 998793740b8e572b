"""What an ordinary /forward session costs in RingCentral requests (the emulator's request
log), so re-reads can't creep back: each of a person's reads counts against their share
of the administrator's token (Light 10, Medium 8 a minute; docs/contract.md "Fair shares and
a hardened front")."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers.harness import Harness
from tests.helpers.modal import button, open_list

ALICE_EXT = 2263488004
ALICE = f"/extension/{ALICE_EXT}"


def edit_option(view: dict[str, Any], number_id: str) -> dict[str, Any]:
    """The row menu's "Edit" of one number, chosen as Slack sends it."""
    for block in view["blocks"]:
        menu = block.get("accessory") or {}
        for option in menu.get("options", []):
            if option["value"] == f"edit:{number_id}":
                return {**menu, "block_id": block.get("block_id", ""), "selected_option": option}
    raise AssertionError(f"no row menu for {number_id}")


async def test_a_forwarding_session_reads_the_forwarding_status_once(bot: Harness) -> None:
    """The shell's demo (`make demo`): add by command, open the window, add and edit there,
    remove and list by command; the status is shown four times (App Home, the window, after
    each save) and read once; every change still reads the numbers it decides on."""
    log = bot.rc_faults
    await bot.command("alice", "/forward", "add (650) 555-0199 Desk")
    _, listing = await open_list(bot)
    form = bot.latest_view(await bot.click("alice", button(listing, "forward_add"), view=listing))
    saved = bot.latest_view(
        await bot.submit("alice", form, {"phone": "(650) 555-0188", "label": "Garage"})
    )
    assert "Added *Garage*" in json.dumps(saved)
    home = next(n.id for n in bot.rc.extensions[ALICE_EXT].forwarding if n.type == "Home")
    form = bot.latest_view(await bot.click("alice", edit_option(saved, home), view=saved))
    saved = bot.latest_view(await bot.submit("alice", form, {"phone": "", "label": "work"}))
    assert "Changed *Home*" in json.dumps(saved)
    assert "ring as usual" in json.dumps(saved)
    removed = await bot.command("alice", "/forward", "remove garage")
    assert "Removed *Garage*" in removed.text
    listed = await bot.command("alice", "/forward", "list")
    assert "Garage" not in listed.text

    assert log.count("GET", f"{ALICE}/answering-rule") == 1  # Medium
    assert log.count("GET", f"{ALICE}/features") == 1  # Medium, once per extension
    assert (log.count("POST", "/forwarding-number"), log.count("PUT", "/forwarding-number")) == (2, 1)
    assert log.count("DELETE", "/forwarding-number") == 1
    medium = sum(
        log.count(method, f"{ALICE}/{what}")
        for method, what in [("GET", "answering-rule"), ("GET", "features")]
    ) + sum(log.count(method, "/forwarding-number") for method in ("POST", "PUT", "DELETE"))
    assert medium == 6  # with the email link's directory read: 7 of her 8 a minute
    # Light: each change's own read (two adds, an edit, a remove), the window's, the row menu's
    # (after a save), and the typed `list`
    assert log.count("GET", f"{ALICE}/forwarding-number") == 7
