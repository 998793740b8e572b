"""Each service on its own, wired to the RingCentral emulator in-process, with a fixed clock.

The ports a service needs from the Slack side (profiles, the workspace) are given plain
values here; everything below them (store, provider client, emulator) is the real thing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capabilities
from bot.domain.notices import plain
from bot.oncall.service import RotationService
from bot.oncall.validation import RotationSpec
from bot.providers.ringcentral import declaration as ringcentral_declaration
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.providers.ringcentral.live_calls import RingCentralLiveCalls
from bot.providers.ringcentral.numbers import RingCentralNumbers
from bot.providers.ringcentral.quick_forward import RingCentralQuickForward
from bot.providers.ringcentral.specs import RingCentralSpec
from bot.providers.specs import KnownSpecs
from bot.services.actor import Actor
from bot.services.calls import CallFinder, Destination
from bot.services.forwarding import ForwardingService
from bot.services.identity import Identity
from bot.services.profiles import Profile, Workspace
from bot.services.toggles import ToggleService
from bot.services.transfer import TransferService
from bot.store import audit as audit_store
from tests.helpers.rc import ALICE, Wired, wired

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TEAM = "T0TEAM"
ALICE_SLACK, ADMIN_SLACK = "UALICE", "UADMIN"
EMAILS = {ALICE_SLACK: "alice@example.com", ADMIN_SLACK: "admin@example.com"}


class Profiles:
    async def profile(self, slack_user_id: str) -> Profile:
        return Profile(
            slack_user_id,
            slack_user_id.title(),
            EMAILS.get(slack_user_id),
            "America/Los_Angeles",
            found=True,
            email_confirmed=True,
            guest_or_external=False,
            bot_or_deleted=False,
            team_id=TEAM,
        )

    def forget(self, slack_user_id: str) -> None:
        return None


class OurWorkspace:
    async def get(self) -> Workspace:
        return Workspace(TEAM)


@dataclass
class Services:
    rc: Wired
    identity: Identity
    forwarding: ForwardingService
    toggles: ToggleService
    transfers: TransferService
    rotations: RotationService


@pytest.fixture
async def services(sqlite_url: str) -> AsyncIterator[Services]:
    async with wired(sqlite_url, socket=False) as rc:
        clock = lambda: NOON  # noqa: E731
        policy = DestinationPolicy(region="US", allowed_countries=["US", "FR"])
        ringcentral_only = Capabilities([ringcentral_declaration.DECLARATION])
        ringcentral_specs = KnownSpecs({RINGCENTRAL: RingCentralSpec()}, bare=RINGCENTRAL)
        identity = Identity(
            database=rc.database,
            directory=rc.client,
            profiles=Profiles(),
            workspace=OurWorkspace(),
            clock=clock,
            region="US",
            providers=frozenset({RINGCENTRAL}),
            virtual_numbers=frozenset(),
            specs=ringcentral_specs,
        )
        forwarding = ForwardingService(
            database=rc.database,
            identity=identity,
            numbers={RINGCENTRAL: RingCentralNumbers(rc.client)},
            capabilities=ringcentral_only,
            clock=clock,
            destinations=policy,
        )
        toggles = ToggleService(
            database=rc.database,
            identity=identity,
            quick_forward={RINGCENTRAL: RingCentralQuickForward(rc.client, clock)},
            capabilities=ringcentral_only,
            clock=clock,
            destinations=policy,
        )
        finder = CallFinder(
            controls={RINGCENTRAL: RingCentralLiveCalls(rc.client)},
            capabilities=ringcentral_only,
        )
        transfers = TransferService(
            database=rc.database,
            identity=identity,
            finder=finder,
            forwarding=forwarding,
            clock=clock,
            confirm_delay=0,
        )
        rotations = RotationService(
            database=rc.database,
            identity=identity,
            clock=clock,
            destinations=policy,
            virtual_numbers=frozenset(),
            specs=ringcentral_specs,
            toggles=toggles,
        )
        yield Services(rc, identity, forwarding, toggles, transfers, rotations)


async def audit_times(s: Services) -> list[datetime]:
    async with s.rc.database.session() as session:
        return [r.at for r in await audit_store.recent(session, limit=50)]


async def test_identity_links_by_email_at_the_clocks_time(services: Services) -> None:
    lines = await services.identity.lines_of(ALICE_SLACK)
    assert [x.line_id for x in lines] == [ALICE]
    assert await audit_times(services) == [NOON]


async def test_forwarding_add_is_audited_at_the_clocks_time(services: Services) -> None:
    actor = Actor(ALICE_SLACK, False)
    change = await services.forwarding.add(
        actor, ALICE_SLACK, phone="(650) 555-0199", label="Desk", key="k1"
    )
    assert change.after is not None
    assert change.after.phone == "+16505550199"
    assert set(await audit_times(services)) == {NOON}


async def test_toggle_until_is_kept_as_given_and_status_read_at_the_clock(services: Services) -> None:
    actor = Actor(ALICE_SLACK, False)
    line = await services.toggles.line(actor, ALICE_SLACK)
    until = NOON + timedelta(hours=2)
    result = await services.toggles.turn_on(
        actor, line, kind="forward", target="+14155550123", until=until, key="t1"
    )
    assert result.until == until
    status = await services.toggles.line_status(line)
    assert (status.mode, status.target, status.until) == ("forward", "+14155550123", until)
    off = await services.toggles.turn_off(actor, line, key="t2")
    assert off.reverted == "restored"


async def test_transfer_to_voicemail_is_audited_once(services: Services) -> None:
    actor = Actor(ALICE_SLACK, False)
    calls = await services.transfers.calls(actor, ALICE_SLACK)
    assert calls
    outcome = await services.transfers.transfer(
        actor, calls[0], Destination("voicemail", "", "voicemail"), key="x1"
    )
    assert "Transferred your call" in plain(outcome.text)
    async with services.rc.database.session() as session:
        rows = await audit_store.recent(session, limit=10)
    assert [r.action for r in rows].count("transfer") == 1
    assert rows[0].at == NOON


async def test_rotation_on_call_now_follows_the_clock(services: Services) -> None:
    admin = Actor(ADMIN_SLACK, True)
    spec = RotationSpec(
        "support", "200", [ALICE_SLACK, ADMIN_SLACK], "daily", 1, "09:00", "UTC", "C0ONCALL"
    )
    rotation = await services.rotations.save(admin, spec)
    state = await services.rotations.now(rotation)
    assert state.current.member == ALICE_SLACK  # day one, from 09:00 UTC on the clock's date
    assert state.current.start == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert state.next.member == ADMIN_SLACK
