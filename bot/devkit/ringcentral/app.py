"""The RingCentral emulator app: every route at the platform's real path."""

from __future__ import annotations

from starlette.applications import Starlette

from bot.devkit.faults import FaultMiddleware, Faults
from bot.devkit.ringcentral import (
    calls,
    directory,
    forwarding,
    handling,
    oauth,
    phone_numbers,
    push,
    ringing,
)
from bot.devkit.ringcentral.guard import Guard
from bot.devkit.ringcentral.platform import Buckets, PlatformMiddleware
from bot.devkit.ringcentral.push import Pusher
from bot.devkit.ringcentral.ringing import Phone
from bot.devkit.ringcentral.state import EmulatorState


class RingCentralEmulator(Starlette):
    """A Starlette app that also exposes its state and fault table to tests."""

    emulator_state: EmulatorState
    faults: Faults
    buckets: Buckets
    pusher: Pusher
    phone: Phone


def build_emulator(
    state: EmulatorState | None = None, faults: Faults | None = None, *, rate_limits: bool = False
) -> RingCentralEmulator:
    """The emulator; `rate_limits` enforces RingCentral's limits (headers are always sent)."""
    state = state or EmulatorState.seeded()
    faults = faults or Faults()
    guard = Guard(state)
    pusher = Pusher(state)
    phone = Phone(state, pusher)
    app = RingCentralEmulator(
        routes=[
            *oauth.routes(state),
            *directory.routes(state, guard),
            *forwarding.routes(state, guard),
            *calls.routes(state, guard),
            *handling.routes(state, guard),
            *phone_numbers.routes(state, guard),
            *push.routes(pusher, guard),
            *ringing.routes(phone, guard),
        ]
    )
    buckets = Buckets(enforce=rate_limits)
    app.add_middleware(FaultMiddleware, faults=faults)
    app.add_middleware(PlatformMiddleware, buckets=buckets)  # outermost: every answer gets it
    app.emulator_state = state
    app.faults = faults
    app.buckets = buckets
    app.pusher = pusher
    app.phone = phone
    return app
