"""Canary secrets never reach logs (text or JSON), replies, or audit rows, even when a
provider echoes the request body back in its error."""

from __future__ import annotations

import io
import json
import logging

from bot import logs
from bot.devkit.loopback import LoopbackServer
from bot.devkit.smspartner import build_emulator
from bot.devkit.smspartner.app import API_KEY
from tests.helpers.harness import start_harness, user_id

CANARY_BOT = "xoxb-canary-7c1e55aa"
CANARY_SIGNING = "canary-signing-4b2d99"


async def test_echoed_api_key_and_slack_secrets_stay_hidden(sqlite_url: str) -> None:
    sms = build_emulator()
    server = LoopbackServer(sms)
    url = await server.start()
    stream = io.StringIO()
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        bot = await start_harness(
            sqlite_url,
            switchboard_providers="smspartner",
            smspartner_url=url,
            smspartner_api_key=API_KEY,  # the emulator only accepts this key: it is the canary here
            smspartner_numbers="+33612345678",
            slack_bot_token=CANARY_BOT,
        )
        for fmt in ("json", "text"):
            logs.configure("DEBUG", fmt)
            root.handlers[0].stream = stream  # type: ignore[attr-defined]
            try:
                await bot.command(
                    "admin", "/switchboard", f"link <@{user_id('dave')}> smspartner:+33612345678"
                )
                fault = sms.faults.add("POST /v1/vn/callforward=400")
                fault.body = {
                    "success": False,
                    "code": 99,
                    "message": f"bad request apiKey={API_KEY} body echoed",
                }
                reply = await bot.command("dave", "/forward", "to +33 6 99 88 77 66")
                assert "couldn't change the forwarding" in reply.text
                sms.faults.clear()
            finally:
                root.handlers[:] = saved_handlers
                root.setLevel(saved_level)
            rows = await bot.audit_rows()
            everything = (
                stream.getvalue()
                + reply.text
                + json.dumps([r.before for r in rows] + [r.after for r in rows])
            )
            for secret in (API_KEY, CANARY_BOT, bot.secret):
                if len(secret) >= 6:
                    assert secret not in everything, f"{secret[:4]}… leaked ({fmt})"
        assert "provider error" in stream.getvalue()  # the failure itself was logged, redacted
        await bot.close()
    finally:
        await server.stop()
