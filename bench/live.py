"""Live calls (issue 20): from RingCentral's notification to the person's DM.

100 opted-in people of the generated company get a call each within 10 s; the emulator
pushes every ringing call over loopback to one of two instances (each the deployment's
public URL in turn), and the time from the push to the card reaching Slack is measured.
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import time

from bench.company import FIRST_ID, person, world

CALLS = 100
WITHIN_SECONDS = 10.0


async def _run() -> dict[str, float]:
    done = await world(limiter=True, connected=0, rate_limits=True)
    try:
        runtime, url = done.instances[0]
        for instance, _ in done.instances:
            instance.push.public_url = url
        await runtime.push.ensure()
        for i in range(CALLS):
            await runtime.cards.opt(person(i), on=True)
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
        waits = sorted(
            call.at - pushed[str(call.args["channel"])]
            for call in done.slack.calls
            if call.method == "chat.postMessage" and str(call.args.get("channel")) in pushed
        )
        return {
            "cards": len(waits),
            "p50": statistics.median(waits) * 1000,
            "p99": waits[int(len(waits) * 0.99) - 1] * 1000,
            "max": waits[-1] * 1000,
        }
    finally:
        await done.close()


def live_table() -> tuple[list[str], bool]:
    got = asyncio.run(_run())
    met = got["cards"] == CALLS and got["p99"] < 2000
    return [
        f"{CALLS} opted-in people each get a call within {WITHIN_SECONDS:.0f} s; the emulator pushes "
        "every ringing call to the bot over loopback. Goal: every card within 2 s.\n",
        "| calls | cards posted | push → DM p50 / p99 / max ms | met |",
        "| --- | --- | --- | --- |",
        f"| {CALLS} | {got['cards']:.0f} | {got['p50']:.0f} / {got['p99']:.0f} / {got['max']:.0f} | "
        f"{'yes' if met else 'NO'} |",
    ], met


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    rows, _ = live_table()
    print("\n".join(rows))
