"""`switchboard emulator <provider>`: one provider emulator over HTTP, standalone."""

from __future__ import annotations

import re

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
    app: Starlette
    if provider == "ringcentral":
        from bot.devkit.ringcentral import build_emulator as build_ringcentral

        app = build_ringcentral(faults=table, rate_limits=rate_limits)
        limited = ", RingCentral's rate limits enforced" if rate_limits else ""
        print(
            f"RingCentral emulator on http://{host}:{port} (JWT assertion = the email to act as{limited})"
        )
    elif provider == "voipnow":
        from bot.devkit.voipnow import build_emulator as build_voipnow

        app = build_voipnow(faults=table)
        print(f"VoipNow emulator on http://{host}:{port} (any client credentials)")
    else:
        from bot.devkit.smspartner import build_emulator as build_smspartner

        app = build_smspartner(faults=table)
        print(f"SMSPartner emulator on http://{host}:{port} (API key: emulator)")
    settle_garbage_collector()
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
    return 0
