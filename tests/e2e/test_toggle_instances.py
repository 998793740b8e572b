"""Timed reverts across restarts and instances, against one RingCentral 'platform' on loopback."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.lifecycle import scheduler_for
from tests.helpers.instances import instance, platform_custom_rules, two_instances


async def test_revert_survives_a_restart(
    sqlite_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    client_id = "client-" + secrets.token_hex(3)
    first = await instance(sqlite_url, url, client_id)
    try:
        reply = await first.command("alice", "/forward", "to mobile for 30m")
        assert "All calls now go to" in reply.text
    finally:
        await first.close()  # the process stops before the revert is due
    assert len(platform_custom_rules(app)) == 1
    second = await instance(sqlite_url, url, client_id)
    try:
        handled = await scheduler_for(second.runtime).tick(datetime.now(UTC) + timedelta(minutes=31))
        assert handled == 1
        assert platform_custom_rules(app) == []
        assert app.emulator_state.jwt_logins == 1  # the token pair in the store was reused
    finally:
        await second.close()


async def test_two_instances_race_one_revert(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    app, url = platform
    async with two_instances(postgres_url, url) as (first, second):
        await first.command("alice", "/forward", "to mobile for 30m")
        later = datetime.now(UTC) + timedelta(minutes=31)
        handled = await asyncio.gather(
            scheduler_for(first.runtime).tick(later),
            scheduler_for(second.runtime).tick(later),
            scheduler_for(first.runtime).tick(later),
            scheduler_for(second.runtime).tick(later),
        )
        assert sum(handled) == 1
        assert app.faults.count("DELETE", "/answering-rule") == 1
        assert platform_custom_rules(app) == []
        dms = first.slack.of("chat.postMessage") + second.slack.of("chat.postMessage")
        assert len(dms) == 1


HANDOFFS = 250  # enough to show "exactly once" across two instances; keeps the suite under budget


async def test_two_engines_apply_each_handoff_once(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    from bot.devkit.shell import payloads
    from bot.store import rotations as rotation_store
    from tests.helpers.harness import user_id
    from tests.helpers.oncall import form_values

    app, url = platform
    async with two_instances(postgres_url, url) as (first, second):
        form = first.latest_view(await first.command("admin", "/oncall", "create"))
        values = form_values("hourly", [user_id("alice"), user_id("bob")], handoff="00:00")
        values["shift_type"] = {
            "value": {"type": "static_select", "selected_option": {"value": "hourly"}}
        }
        body = payloads.view_submission(
            user_id=user_id("admin"), user_name="admin", view=form, values=values
        )
        await first.signed(body)
        start = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
        changes = 0
        for hour in range(HANDOFFS):
            moment = start + timedelta(hours=hour)
            done = await asyncio.gather(
                first.runtime.handoffs.tick(moment), second.runtime.handoffs.tick(moment)
            )
            changes += sum(done)
        assert changes == HANDOFFS
        assert app.faults.count("POST", "/answering-rule") == HANDOFFS
        async with first.runtime.database.session() as session:
            rotation = (await rotation_store.all_rotations(session))[0]
            history = await rotation_store.handoffs(session, rotation_id=rotation.id)
        assert [h.kind for h in history] == ["handoff"] * HANDOFFS


async def test_two_engines_read_a_hotline_once_per_drift_check(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    """Issue 18: each rotation is checked by one instance per tick, not one per instance."""
    from bot.devkit.shell import payloads
    from tests.helpers.harness import user_id
    from tests.helpers.oncall import form_values

    app, url = platform
    async with two_instances(postgres_url, url) as (first, second):
        form = first.latest_view(await first.command("admin", "/oncall", "create"))
        values = form_values("support", [user_id("alice"), user_id("bob")])
        await first.signed(
            payloads.view_submission(
                user_id=user_id("admin"), user_name="admin", view=form, values=values
            )
        )
        now = datetime.now(UTC)
        await asyncio.gather(first.runtime.handoffs.tick(now), second.runtime.handoffs.tick(now))
        drift = timedelta(seconds=first.runtime.settings.switchboard_drift_check_seconds, milliseconds=1)

        def sent() -> int:  # hotline reads (each instance also learns the call-handling model once)
            return app.faults.count("GET", "/answering-rule")

        before = sent()
        await first.runtime.handoffs.tick(now + drift)  # one instance alone: one check
        alone = sent() - before
        assert alone > 0
        before = sent()
        later = now + 2 * drift
        await asyncio.gather(first.runtime.handoffs.tick(later), second.runtime.handoffs.tick(later))
        assert sent() - before == alone  # two instances ticking together: still one check


async def test_two_instances_keep_one_subscription_renew_it_and_recreate_it(
    postgres_url: str, platform: tuple[RingCentralEmulator, str]
) -> None:
    """Issue 20: one push subscription per deployment, across instances."""
    app, url = platform
    async with two_instances(postgres_url, url) as (first, second):
        for bot in (first, second):
            bot.runtime.push.public_url = first.url  # the deployment's one public URL
        done = await asyncio.gather(first.runtime.push.ensure(), second.runtime.push.ensure())
        assert sorted(done) == ["created", "kept"]
        assert app.pusher.created == 1
        second.runtime.push.renew_ahead = timedelta(days=8)  # inside the renewal window now
        assert await second.runtime.push.ensure() == "renewed"
        second.runtime.push.renew_ahead = timedelta(days=1)
        assert await first.runtime.push.ensure() == "kept"  # renewed once, not by both
        assert app.faults.count("POST", "/renew") == 1
        app.pusher.subscriptions.clear()  # RingCentral lost it: its id answers 404
        first.runtime.push.renew_ahead = timedelta(days=8)
        assert await first.runtime.push.ensure() == "recreated"
        assert app.pusher.created == 2
        assert len(app.pusher.subscriptions) == 1
