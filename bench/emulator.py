"""The RingCentral emulator with the generated company (bench.company), as its own process.

python -m bench.emulator PORT [LATENCY_SECONDS] [--rate-limits]
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import uvicorn

from bench.company import FIRST_ID, company
from bot.devkit.faults import Faults
from bot.devkit.ringcentral import build_emulator
from bot.gc_tuning import settle_garbage_collector


def main() -> None:
    port = int(sys.argv[1])
    latency = float(sys.argv[2]) if len(sys.argv) > 2 and not sys.argv[2].startswith("-") else 0.0
    state = company()
    app = build_emulator(state, Faults(latency=latency), rate_limits="--rate-limits" in sys.argv)
    if "--issue" in sys.argv:
        at = sys.argv.index("--issue")
        count, path = int(sys.argv[at + 1]), Path(sys.argv[at + 2])
        path.write_text(json.dumps([state.issue(FIRST_ID + i) for i in range(count)]))

        def report() -> None:
            while True:
                path.with_suffix(".refused").write_text(str(app.buckets.refused))
                time.sleep(1)

        threading.Thread(target=report, daemon=True).start()
    settle_garbage_collector()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
