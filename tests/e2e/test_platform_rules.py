"""What real Slack and RingCentral expect of an app's own endpoints (docs/contract.md "The
platforms' own rules"): Slack's `ssl_check`, RingCentral's WebHook validation answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.devkit.ringcentral.routing import effective_routing
from bot.providers.errors import Rejected
from bot.web import signing
from tests.helpers.harness import Harness
from tests.helpers.providers import ringcentral_client


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


# -- upgraded RingCentral accounts: the forward-all-calls state -------------------------
# CommStateConditionsRequest has minItems 1 / maxItems 1 (the OpenAPI description); the
# state's default condition is Daily 00:00:00-23:59:59:
# https://developers.ringcentral.com/guide/voice/call-routing/user-call-handling/states-and-rules

CAROL = 2263490004  # an upgraded (v2 comm-handling) extension in the seed company
ALL_DAY = {"triggerType": "Daily", "startTime": "00:00:00", "endTime": "23:59:59"}
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def routing(bot: Harness, ext: int, at: datetime) -> tuple[str, str | None]:
    found = effective_routing(bot.rc.extensions[ext], at)
    return found.action, found.to


def fac_state(bot: Harness) -> dict[str, Any]:
    return dict(bot.rc.extensions[CAROL].states_v2["forward-all-calls"])


def set_in_ringcentrals_app(bot: Harness, trigger: dict[str, Any]) -> None:
    """Carol turns on forward-all in RingCentral's own app, to +33 6 11 22 33 44."""
    ext = bot.rc.extensions[CAROL]
    ext.states_v2["forward-all-calls"].update(
        enabled=True, conditions=[{"type": "Schedule", "schedule": {"triggers": [trigger]}}]
    )
    action = ext.state_rules_v2["forward-all-calls"]["dispatching"]["actions"][0]
    action["targets"].append(
        {
            "type": "PhoneNumberTerminatingTarget",
            "name": "Mobile",
            "destination": {"phoneNumber": "+33611223344"},
            "dispatchingType": "Terminating",
        }
    )
    action["terminatingTargetType"] = "PhoneNumberTerminatingTarget"


async def test_the_forward_all_state_is_seeded_with_its_daily_default_and_refuses_no_condition(
    bot: Harness,
) -> None:
    assert fac_state(bot)["conditions"][0]["schedule"]["triggers"] == [ALL_DAY]
    client = ringcentral_client(bot.runtime)
    assert client is not None
    for conditions in ([], [{"type": "Schedule", "schedule": {"triggers": []}}], [ALL_DAY, ALL_DAY]):
        with pytest.raises(Rejected) as refused:
            await client.handling.patch_state(
                str(CAROL), "forward-all-calls", {"enabled": True, "conditions": conditions}
            )
        assert (refused.value.status, refused.value.code) == (400, "CMN-101")
    assert fac_state(bot)["enabled"] is False


async def test_forward_until_turned_off_sends_one_condition(bot: Harness) -> None:
    on = await bot.command("carol", "/forward", "to +33 6 11 22 33 44")
    assert "until you say `/forward off`" in on.text
    assert fac_state(bot)["enabled"] is True
    assert fac_state(bot)["conditions"][0]["schedule"]["triggers"] == [ALL_DAY]
    assert routing(bot, CAROL, datetime.now(UTC) + timedelta(days=3)) == ("forward", "+33611223344")
    off = await bot.command("carol", "/forward", "off")
    assert "ring as usual again" in off.text
    assert fac_state(bot)["enabled"] is False


async def test_a_forward_all_set_in_ringcentrals_app_is_seen(bot: Harness) -> None:
    set_in_ringcentrals_app(bot, ALL_DAY)
    status = await bot.command("carol", "/forward", "status")
    assert "Your calls go to" in status.text
    assert "set outside Switchboard" in status.text
    refused = await bot.command("carol", "/forward", "to +33 6 99 88 77 66 for 1h")
    assert "already on in RingCentral" in refused.text  # never written over


@pytest.mark.parametrize("today", [True, False])
async def test_a_weekly_schedule_is_read_by_its_weekday(bot: Harness, today: bool) -> None:
    local = datetime.now(ZoneInfo(bot.rc.extensions[CAROL].timezone))
    weekday = DAYS[local.weekday()] if today else DAYS[(local.weekday() + 3) % 7]
    ranges: dict[str, list[dict[str, str]]] = {day: [] for day in DAYS} | {
        weekday: [{"startTime": "00:00:00", "endTime": "23:59:59"}]
    }
    set_in_ringcentrals_app(bot, {"triggerType": "Weekly", "ranges": ranges})
    status = await bot.command("carol", "/forward", "status")
    assert ("Your calls go to" in status.text) is today
    assert ("ring as usual" in status.text) is not today


async def test_a_webhook_subscription_lives_up_to_ten_years_and_no_longer(bot: Harness) -> None:
    """expiresIn: 1 to 315360000 s for WebHook (the OpenAPI description's
    UpdateSubscriptionRequest); Switchboard asks for a week and renews it."""
    client = ringcentral_client(bot.runtime)
    assert client is not None
    address = f"{bot.url}/ringcentral/webhook"
    with pytest.raises(Rejected) as refused:
        await client.subscriptions.create(address=address, token="t", expires_in=315_360_001)
    assert refused.value.code == "CMN-101"
    longest = await client.subscriptions.create(address=address, token="t", expires_in=315_360_000)
    assert longest.expires_at > datetime.now(UTC) + timedelta(days=3649)


async def test_an_upgraded_account_flips_to_its_v2_call_flip_numbers(bot: Harness) -> None:
    """The migration guide moves flip numbers to GET /restapi/v2/…/call-flip-numbers on
    upgraded accounts; Carol's call flips to her Work number's digit from there."""
    from bot.devkit.ringcentral.telephony import seeded_call

    call = seeded_call(CAROL, "+16505550104")
    call.id = "s-carol"
    bot.rc.sessions[call.id] = call
    reply = await bot.command("carol", "/transfer", "flip work")
    assert "Transferred your call" in reply.text
    assert bot.rc_faults.count("GET", "/call-flip-numbers") == 1
    assert call.moves[0]["callFlipId"] == "*1"
    assert call.moves[0]["to"] == "+33142685300"
