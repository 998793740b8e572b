"""What real Slack and RingCentral expect of an app's own endpoints (CONTRACT "The
platforms' own rules"): Slack's `ssl_check`, RingCentral's WebHook validation answer."""

from __future__ import annotations

import httpx
import pytest

from bot.providers.errors import Rejected
from bot.web import signing
from tests.harness import Harness


@pytest.mark.parametrize("signed", [False, True])
async def test_slacks_ssl_check_is_answered_200_and_nothing_is_done(bot: Harness, signed: bool) -> None:
    """Slack POSTs `ssl_check=1` (and a `token`) to check a command URL's certificate;
    https://api.slack.com/interactivity/slash-commands. Bolt answers it 200 before any
    verification (slack_bolt.middleware.ssl_check)."""
    body = b"ssl_check=1&token=legacy-verification-token"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers.update(signing.signed_headers(bot.secret, body))
    bot.slack.drain()
    answer = await bot.post(body, headers)
    assert answer.status_code == 200
    assert answer.content == b""
    await bot.runtime.tasks.wait_idle()
    assert bot.slack.drain() == []
    smuggled = b"ssl_check=1&command=%2Fforward&user_id=U1&text=off"  # a command is never a check
    refused = await bot.post(smuggled, {"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 401


async def test_ringcentral_refuses_a_validation_answer_without_a_json_content_type(
    bot: Harness,
) -> None:
    """SUB-525 unless the echo carries Content-Type: application/json, even with an empty
    body: https://developers.ringcentral.com/guide/notifications/webhooks/creating-webhooks"""

    def bare_echo(request: httpx.Request) -> httpx.Response:
        token = request.headers["Validation-Token"]
        return httpx.Response(200, headers={"Validation-Token": token})

    bot._rc_app.pusher.transport = httpx.MockTransport(bare_echo)
    bot.runtime.push.public_url = "https://switchboard.example.com"
    with pytest.raises(Rejected) as refused:
        await bot.runtime.push.ensure()
    assert refused.value.code == "SUB-525"
    assert bot._rc_app.pusher.created == 0
