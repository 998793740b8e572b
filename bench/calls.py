"""Provider calls per action: what the RingCentral emulator receives for each command.

Changes refresh the App Home with what they already know (nothing read twice); which
call-handling model a line uses is read once per line and process, before the counting.
Two bot instances share one database and one emulator (on loopback), as two processes of
one deployment would; the second must reuse the first one's token.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import tempfile
from collections import Counter

from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import build_emulator
from tests.helpers.harness import Harness, start_configured

TOKEN = "POST /restapi/oauth/token"
# (label, command, text, the fewest calls the provider's API allows for it)
ACTIONS = [
    ("list", "/forward", "list", 1),
    ("add", "/forward", "add +1 650 555 0199 Desk", 3),
    ("edit", "/forward", "edit Desk +1 650 555 0198", 3),
    ("remove", "/forward", "remove Desk", 3),
    ("toggle on", "/forward", "to mobile", 2),
    ("toggle off", "/forward", "off", 3),
    ("transfer", "/transfer", "103", 3),
]
HOME = "; App Home: "
WHY = {
    "list": "the list",
    "add": "the list (a repeat? the 10-number cap) + create" + HOME + "forwarding status",
    "edit": "the list (which one) + update" + HOME + "forwarding status",
    "remove": "the list (which one) + delete" + HOME + "forwarding status",
    "toggle on": "the list (which is `mobile`) + create the rule" + HOME + "nothing more",
    "toggle off": "our rule (still ours?) + delete it" + HOME + "the list",
    "transfer": "presence (the live call) + the extension in the directory (a transfer goes only to one) + transfer",
}
PREFIX = re.compile(r"/restapi/v1\.0/account/~(/extension/\d+)?")


def _row(label: str, sent: Counter[str], minimum: int) -> str:
    total = sum(sent.values())
    repeated = sorted(key for key, n in sent.items() if n > 1)
    calls = ", ".join(
        PREFIX.sub("…", key) + (f" x{n}" if n > 1 else "") for key, n in sorted(sent.items())
    )
    verdict = "yes" if total <= minimum and not repeated else "NO"
    return f"| {label} | {total} | {minimum}: {WHY[label]} | {verdict} | {calls} |"


async def count_calls() -> list[str]:
    app = build_emulator()
    server = LoopbackServer(app)
    url = await server.start()
    database_url = f"sqlite:///{tempfile.mkdtemp()}/calls.db"
    client_id = "bench-" + secrets.token_hex(3)
    first: Harness = await start_configured(database_url, url, client_id=client_id)
    second: Harness | None = None
    rows = []
    try:
        await first.command("alice", "/switchboard", "whoami")  # linked by email, token obtained
        await first.command("alice", "/forward", "status")  # the call-handling model, once per line
        for label, command, text, minimum in ACTIONS:
            before = Counter(app.faults.requests)
            reply = await first.command("alice", command, text)
            assert reply.text, f"{label}: no answer"
            rows.append(_row(label, app.faults.requests - before, minimum))
        second = await start_configured(database_url, url, client_id=client_id)
        await second.command("alice", "/forward", "list")
        logins = app.faults.requests[TOKEN]
        met = "yes" if logins == 1 else "NO"
        rows.append(
            f"| token logins, two instances | {logins} | 1: one per deployment | {met} | {TOKEN} |"
        )
    finally:
        for harness in (first, second):
            if harness is not None:
                await harness.close()
        await server.stop()
    return rows


def calls_table() -> list[str]:
    return [
        "| action | provider calls | fewest possible | met | requests |",
        "| --- | --- | --- | --- | --- |",
        *asyncio.run(count_calls()),
    ]


if __name__ == "__main__":
    print("\n".join(calls_table()))
