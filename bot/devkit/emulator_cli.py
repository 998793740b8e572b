"""`switchboard emulator <provider>`: one provider emulator over HTTP, standalone."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

import uvicorn
from starlette.applications import Starlette

from bot import logs
from bot.devkit.faults import Faults, parse_fault
from bot.gc_tuning import settle_garbage_collector

_DURATION = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<unit>ms|s)?$")


def parse_duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    if not match:
        raise SystemExit(f"switchboard: --latency takes a duration such as 2s or 250ms, not {text!r}")
    value = float(match["n"])
    return value / 1000 if match["unit"] == "ms" else value


Started = tuple[Starlette, str]  # the app, and the line saying where it listens ({url})


def _ringcentral(faults: Faults, rate_limits: bool) -> Started:
    from bot.devkit.ringcentral import build_emulator

    limited = ", RingCentral's rate limits enforced" if rate_limits else ""
    app = build_emulator(faults=faults, rate_limits=rate_limits)
    return app, f"RingCentral emulator on {{url}} (JWT assertion = the email to act as{limited})"


def _voipnow(faults: Faults, rate_limits: bool) -> Started:
    from bot.devkit.voipnow import build_emulator

    return build_emulator(faults=faults), "VoipNow emulator on {url} (any client credentials)"


def _smspartner(faults: Faults, rate_limits: bool) -> Started:
    from bot.devkit.smspartner import build_emulator

    return build_emulator(faults=faults), "SMSPartner emulator on {url} (API key: emulator)"


# Each provider's emulator by the provider's name (`switchboard emulator <name>`).
EMULATORS: dict[str, Callable[[Faults, bool], Started]] = {
    "ringcentral": _ringcentral,
    "voipnow": _voipnow,
    "smspartner": _smspartner,
}


def serve_emulator(
    provider: str,
    *,
    host: str,
    port: int,
    latency: str,
    faults: list[str],
    rate_limits: bool = False,
) -> int:
    logs.configure("INFO", "text")
    table = Faults(latency=parse_duration(latency))
    for spec in faults:
        try:
            table.add(parse_fault(spec))
        except ValueError as exc:
            raise SystemExit(f"switchboard: {exc}") from None
    start = EMULATORS.get(provider.lower())
    if start is None:  # a usage error: status 2, as argparse's choices gave before
        print(
            f"switchboard: there is no {provider!r} emulator; choose {', '.join(EMULATORS)}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    app, banner = start(table, rate_limits)
    print(banner.format(url=f"http://{host}:{port}"))
    settle_garbage_collector()
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
    return 0
