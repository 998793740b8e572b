"""GET /metrics after real commands (docs/contract.md "A stranger can clone, install and
operate it"): Prometheus' text format, the named families, no user id, number or secret in
any label, and a Bearer token when SWITCHBOARD_METRICS_TOKEN is set."""

from __future__ import annotations

import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.harness import Harness, start_harness, user_id

FAMILIES = {
    "switchboard_commands": "counter",
    "switchboard_ack_seconds": "histogram",
    "switchboard_provider_requests": "counter",
    "switchboard_rate_limited": "counter",
    "switchboard_background_queue_depth": "gauge",
    "switchboard_webhook_notifications": "counter",
}


async def scrape(bot: Harness, **headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = await bot.http.get(f"{bot.url}/metrics", headers=headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    for name, kind in FAMILIES.items():
        assert families[name].type == kind, name
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in families.values()
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_count_real_commands_without_naming_anyone(bot: Harness) -> None:
    before = await scrape(bot)
    assert "is not linked" not in (await bot.command("alice", "/switchboard", "whoami")).text
    await bot.command("alice", "/forward", "add 650 555 0194 Desk")  # a provider write
    await bot.command("alice", "/forward", "to +1 900 555 0100")  # premium rate: refused
    await bot.command("alice", "/switchboard", "x" * 2500)  # too long: refused in the ack
    await bot.http.post(f"{bot.url}/ringcentral/webhook", headers={"Validation-Token": "v-1"})
    after = await scrape(bot)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("switchboard_commands_total", command="/switchboard", outcome="ok") == 1
    assert grew("switchboard_commands_total", command="/switchboard", outcome="refused") == 1
    assert grew("switchboard_commands_total", command="/forward", outcome="ok") == 1
    assert grew("switchboard_commands_total", command="/forward", outcome="user_error") == 1
    assert grew("switchboard_ack_seconds_count") >= 4
    posted = grew(
        "switchboard_provider_requests_total", provider="ringcentral", group="Medium", status="200"
    )
    assert posted >= 1
    assert grew("switchboard_webhook_notifications_total", outcome="validation") == 1
    assert value(after, "switchboard_background_queue_depth") == 0

    people = {user_id(name) for name in ("alice", "bob", "carol", "admin")}
    secrets = {bot.secret, bot.runtime.settings.slack_bot_token.get_secret_value()}  # type: ignore[union-attr]
    for _, labels in after:
        for _label, text in labels:
            assert text not in people | secrets
            assert not re.search(r"\d{5,}|@", text), text  # no number, no email


@pytest.mark.slow  # waits out slow providers or retries on purpose
async def test_a_provider_429_is_counted(bot: Harness) -> None:
    before = await scrape(bot)
    bot.rc_faults.add("GET /extension/=429:1x5")
    await bot.command("alice", "/forward", "list")
    after = await scrape(bot)
    grown = value(after, "switchboard_rate_limited_total", provider="ringcentral") - value(
        before, "switchboard_rate_limited_total", provider="ringcentral"
    )
    assert grown >= 1


async def test_the_metrics_token_is_required_when_set(sqlite_url: str) -> None:
    bot = await start_harness(sqlite_url, switchboard_metrics_token="metrics-7d41c0a9")
    try:
        url = f"{bot.url}/metrics"
        assert (await bot.http.get(url)).status_code == 401
        wrong = await bot.http.get(url, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert "metrics-7d41c0a9" not in wrong.text
        await scrape(bot, Authorization="Bearer metrics-7d41c0a9")
    finally:
        await bot.close()
