"""Live calls: from RingCentral's notification to the person's DM.

CALLS opted-in people of the generated company get a call each within WITHIN_SECONDS (1,000
calls a minute); the emulator pushes every notification over loopback to the deployment's
one address, which a round-robin "load balancer" (`Alternate`) hands to each of the two
instances in turn; the time from the push to the card reaching Slack is measured, and
whether each ringing card still offers its Forward buttons.

The people opted in a while ago: the background has read each one's forwarding numbers
ahead of their calls (bot.services.card_numbers: at most 20 reads a minute, so 500 people
within half an hour of opting in), and `read_ahead` writes what those reads found, as
bench.company writes the links the company made over time. Nobody is signed in: without the
kept numbers, each card would read them at ring time on the administrator's 50 a minute.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import time

import httpx

from bench.company import FIRST_ID, World, person, world
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.services.forwarding import Number
from bot.slack.call_cards import FORWARD
from bot.store.links import LinkRecord

CALLS = 500
WITHIN_SECONDS = 30.0
GOAL_MS = 500
CONNECTED = 0.0  # nobody signed in with their own login: every read on the administrator's token


class Alternate(httpx.AsyncBaseTransport):
    """A load balancer in front of the instances: each request to the next port in turn.

    One transport for every push (the emulator opens a client per push and closes it; this
    one's connections outlive those clients): a new client per push would build an SSL
    context each time, 24 ms of this one process's CPU."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent = 0
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        request.url = request.url.copy_with(port=self.ports[self.sent % len(self.ports)])
        return await self.inner.handle_async_request(request)


async def read_ahead(done: World, people: int) -> None:
    """What the background's reads of the opted-in people's numbers found (the emulator's
    numbers of each), kept as those reads keep them."""
    runtime = done.instances[0][0]
    state = done.emulator.emulator_state
    for i in range(people):
        ext = state.extensions[FIRST_ID + i]
        line = LinkRecord(person(i), RINGCENTRAL, str(ext.id), ext.number, ext.name, "email", ext.email)
        numbers = [
            Number(
                n.id,
                n.label or n.type,
                n.type,
                n.phone,
                n.flip or None,
                True,
                bool(n.flip),
                editable=True,
            )
            for n in ext.forwarding
        ]
        await runtime.cards.numbers_kept.seen(line, numbers, runtime.clock())


async def _run(connected: float = CONNECTED) -> dict[str, float]:
    done = await world(limiter=True, connected=connected, rate_limits=True)
    try:
        runtime, url = done.instances[0]
        for instance, _ in done.instances:
            instance.push.public_url = url
        await runtime.push.ensure()
        done.emulator.pusher.transport = Alternate([httpx.URL(u).port or 80 for _, u in done.instances])
        for i in range(CALLS):
            await runtime.cards.opt(person(i), on=True)
        await read_ahead(done, CALLS)
        pushed: dict[str, float] = {}

        async def ring(i: int, at: float, started: float) -> None:
            await asyncio.sleep(max(0.0, started + at - time.monotonic()))
            pushed[person(i)] = time.monotonic()
            await done.emulator.phone.ring(FIRST_ID + i, "+16505550142", f"Caller {i}")

        started = time.monotonic()
        moments = sorted(random.uniform(0, WITHIN_SECONDS) for _ in range(CALLS))
        await asyncio.gather(*(ring(i, at, started) for i, at in enumerate(moments)))
        for instance, _ in done.instances:
            await instance.tasks.wait_idle()
        cards = [
            call
            for call in done.slack.calls
            if call.method == "chat.postMessage" and str(call.args.get("channel")) in pushed
        ]
        waits = sorted(call.at - pushed[str(call.args["channel"])] for call in cards)
        return {
            "cards": len(waits),
            "buttons": sum(FORWARD in str(call.args.get("blocks")) for call in cards),
            "p50": statistics.median(waits) * 1000,
            "p99": waits[int(len(waits) * 0.99) - 1] * 1000,
            "max": waits[-1] * 1000,
        }
    finally:
        await done.close()


def live_table() -> tuple[list[str], bool]:
    got = asyncio.run(_run())
    met = got["cards"] == CALLS and got["p99"] <= GOAL_MS and got["buttons"] == CALLS
    rate = CALLS / WITHIN_SECONDS * 60
    return [
        f"{CALLS} opted-in people each get a call within {WITHIN_SECONDS:.0f} s ({rate:,.0f} calls a "
        "minute); the emulator pushes every notification over loopback to one address, handed to "
        "each of two instances in turn (one process for all: the emulator, both instances and "
        f"the stand-in). Goals: every card, p99 ≤ {GOAL_MS} ms, every ringing card with its "
        "Forward buttons.\n",
        "| calls | cards posted | with Forward buttons | push → DM p50 / p99 / max ms | met |",
        "| --- | --- | --- | --- | --- |",
        f"| {CALLS} | {got['cards']:.0f} | {got['buttons']:.0f} | {got['p50']:.0f} / {got['p99']:.0f} / "
        f"{got['max']:.0f} | {'yes' if met else 'NO'} |",
    ], met


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    rows, _ = live_table()
    print("\n".join(rows))
