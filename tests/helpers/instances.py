"""Two instances of one deployment against one RingCentral 'platform' served on loopback."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.devkit.ringcentral.app import RingCentralEmulator
from tests.helpers.emulated import ALICE_EXT
from tests.helpers.harness import Harness, start_configured


async def instance(database_url: str, url: str, client_id: str) -> Harness:
    # The client-side RingCentral budget (40 Medium calls a minute) would stretch 500 handoffs
    # over minutes of real time; the platform emulator here has no limits to respect.
    return await start_configured(database_url, url, client_id=client_id, switchboard_rate_budget=False)


@asynccontextmanager
async def two_instances(database_url: str, url: str) -> AsyncIterator[tuple[Harness, Harness]]:
    """Two bot instances of one deployment: one database, one RingCentral app."""
    client_id = "client-" + secrets.token_hex(3)
    first = await instance(database_url, url, client_id)
    second = await instance(database_url, url, client_id)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


def platform_custom_rules(app: RingCentralEmulator) -> list[dict[str, object]]:
    """Alice's custom rules on the shared platform."""
    return [
        r for r in app.emulator_state.extensions[ALICE_EXT].rules_v1.values() if r["type"] == "Custom"
    ]
