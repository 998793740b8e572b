"""A generated company on the RingCentral emulator, and two Switchboard instances on it.

Everything runs in this process over real loopback sockets: the emulator (its limits
enforced unless asked otherwise) with PEOPLE users and ROTATIONS hotlines, two instances
(each its own engine and HTTP front) on one PostgreSQL schema, and the Slack stand-in.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from bot.devkit.loopback import LoopbackServer
from bot.devkit.ringcentral import EmulatorState, build_emulator
from bot.devkit.ringcentral.app import RingCentralEmulator
from bot.devkit.ringcentral.handling_seed import comm_state_rules, comm_states, legacy_rules
from bot.devkit.ringcentral.state import Extension, ForwardingNumber
from bot.devkit.shell.standin import SlackStandIn, SlackUser, slack_id_for
from bot.providers.ringcentral.declaration import RINGCENTRAL
from bot.runtime import Runtime, start_runtime
from bot.settings import load_settings
from bot.store import links as link_store
from bot.store.links import LinkRecord
from bot.store.tokens import TokenPair
from bot.web.asgi import build_asgi

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))
ROTATIONS = 50
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
FIRST_ID = 3_000_000


def company() -> EmulatorState:
    """The seeded account plus PEOPLE users (each with a Mobile) and ROTATIONS hotlines."""
    state = EmulatorState.seeded()
    for i in range(PEOPLE):
        ext = Extension(
            id=FIRST_ID + i,
            number=str(4000 + i),
            name=f"Person {i}",
            email=f"p{i}@corp.example",
            direct_number=f"+1650556{i:04d}",
            forwarding=[ForwardingNumber(f"m{i}", "Mobile", f"+1415557{i:04d}", "Mobile", "1")],
        )
        state.extensions[ext.id] = ext
    for r in range(ROTATIONS):
        hotline = Extension(
            id=FIRST_ID + PEOPLE + r,
            number=str(8000 + r),
            name=f"Hotline {r}",
            email=f"hotline{r}@corp.example",
            type="Department",
            direct_number=f"+1650558{r:04d}",
        )
        state.extensions[hotline.id] = hotline
    for ext in state.extensions.values():
        if not ext.rules_v1:
            ext.rules_v1 = legacy_rules([n.id for n in ext.forwarding])
            ext.states_v2, ext.state_rules_v2 = comm_states(), comm_state_rules()
    return state


def person(i: int) -> str:
    return slack_id_for(f"p{i}@corp.example")


@dataclass
class World:
    emulator: RingCentralEmulator
    slack: SlackStandIn
    instances: list[tuple[Runtime, str]]
    secret: str
    schema: str
    servers: list[LoopbackServer] = field(default_factory=list)
    connected: int = 0  # people 0..connected-1 signed in with their own login

    async def close(self) -> None:
        for runtime, _ in self.instances:
            await runtime.aclose()
        for server in self.servers:
            await server.stop()
        await self.slack.stop()
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {self.schema} CASCADE")


async def world(*, limiter: bool, connected: float, rate_limits: bool = True, **extra: Any) -> World:
    emulator = build_emulator(company(), rate_limits=rate_limits)
    rc_server = LoopbackServer(emulator)
    rc_url = await rc_server.start()
    slack = SlackStandIn()
    await slack.start()
    for i in range(PEOPLE):
        email = f"p{i}@corp.example"
        slack.add_user(SlackUser(person(i), f"p{i}", f"Person {i}", email))
    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    database_url = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    database_url += f"?options=-csearch_path%3D{schema}"
    secret = secrets.token_hex(16)
    done = World(emulator, slack, [], secret, schema, [rc_server])
    for n in range(2):
        settings = load_settings(
            slack_bot_token="xoxb-bench-" + secrets.token_hex(4),
            slack_signing_secret=secret,
            slack_api_url=slack.api_url,
            database_url=database_url,
            switchboard_providers="ringcentral",
            ringcentral_server_url=rc_url,
            ringcentral_client_id="bench-app",
            ringcentral_client_secret="bench-secret",
            # people's own sign-ins run on their own app (bot/providers/ringcentral/sign_ins.py)
            ringcentral_signin_client_id="bench-signin-app",
            ringcentral_signin_client_secret="bench-signin-secret",
            ringcentral_jwt="admin@example.com",
            switchboard_rate_budget=limiter,
            log_level="ERROR",
            **extra,
        )
        runtime = await start_runtime(settings, migrate=n == 0)
        server = LoopbackServer(build_asgi(runtime, signing_secret=secret))
        done.servers.append(server)
        done.instances.append((runtime, await server.start()))
    await _seed_links(done, connected)
    return done


async def link_everyone(runtime: Runtime, now: datetime) -> None:
    """Every person of the company linked by email to their extension."""
    async with runtime.database.session() as session:
        for i in range(PEOPLE):
            link = LinkRecord(
                person(i),
                RINGCENTRAL,
                str(FIRST_ID + i),
                str(4000 + i),
                f"Person {i}",
                "email",
                f"p{i}@corp.example",
            )
            await link_store.save_link(session, link=link, now=now, replace=False)


async def _seed_links(done: World, connected: float) -> None:
    """A company that has run a while: everyone linked by email, `connected` signed in."""
    runtime = done.instances[0][0]
    now = datetime.now(UTC)
    await link_everyone(runtime, now)
    state = done.emulator.emulator_state
    done.connected = int(PEOPLE * connected)
    for i in range(done.connected):
        issued = state.issue(FIRST_ID + i)
        pair = TokenPair(
            issued["access_token"],
            issued["refresh_token"],
            now + timedelta(seconds=issued["expires_in"]),
            now + timedelta(seconds=issued["refresh_token_expires_in"]),
            str(FIRST_ID + i),
        )
        for instance, _ in done.instances:
            sign_ins = instance.providers.sign_in
            assert sign_ins is not None
            await sign_ins.keep(person(i), pair)
