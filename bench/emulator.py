"""The RingCentral emulator with the generated company (bench.company), as its own process.

python -m bench.emulator PORT [LATENCY_SECONDS] [--rate-limits]
"""

from __future__ import annotations

import sys

import uvicorn

from bench.company import company
from bot.devkit.faults import Faults
from bot.devkit.ringcentral import build_emulator
from bot.gc_tuning import settle_garbage_collector


def main() -> None:
    port = int(sys.argv[1])
    latency = float(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("-") else 0.0
    app = build_emulator(company(), Faults(latency=latency), rate_limits="--rate-limits" in sys.argv)
    settle_garbage_collector()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
