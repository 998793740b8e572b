"""Everything a running bot holds, built once per process and closed at shutdown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
import httpx
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot import redact
from bot.destinations import DestinationPolicy
from bot.domain.capabilities import Capability
from bot.domain.clock import now
from bot.domain.notices import Message
from bot.oncall.engine import HandoffEngine
from bot.oncall.groups import GroupKeeper
from bot.oncall.service import RotationService
from bot.providers.base import ProviderName
from bot.providers.registry import KNOWN, Providers, build_providers
from bot.services.call_cards import CallCards
from bot.services.calls import CallFinder
from bot.services.forwarding import ForwardingService
from bot.services.identity import Identity
from bot.services.push import PushKeeper
from bot.services.sign_in import SignInService, expired
from bot.services.toggles import ToggleService
from bot.services.told import Told
from bot.services.transfer import TransferService
from bot.settings import Settings
from bot.slack.cover_cards import SlackCoverBoard
from bot.slack.errors import describe
from bot.slack.notices import Notices
from bot.slack.profiles import SlackProfiles
from bot.slack.respond import Responder
from bot.slack.usergroups import SlackUserGroups
from bot.slack.workspace import SlackWorkspace
from bot.store import Database
from bot.store.migrate import require_current, upgrade
from bot.store.sealed import SecretBox
from bot.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass(eq=False)  # identity: a runtime is a key for its App Home page
class Runtime:
    settings: Settings
    database: Database
    providers: Providers
    slack: AsyncWebClient
    tasks: TaskRunner
    identity: Identity
    forwarding: ForwardingService
    transfers: TransferService
    toggles: ToggleService
    rotations: RotationService
    handoffs: HandoffEngine
    sign_in: SignInService
    push: PushKeeper
    cards: CallCards
    destinations: DestinationPolicy
    notices: Notices
    profiles: SlackProfiles
    workspace: SlackWorkspace
    clock: Callable[[], datetime] = now
    admins: set[str] = field(default_factory=set)
    responder: Responder = field(default_factory=Responder)

    def __post_init__(self) -> None:
        self.admins.update(self.settings.switchboard_admins)

    def is_admin(self, slack_user_id: str) -> bool:
        return slack_user_id in self.admins

    async def notify(self, slack_user_id: str, text: str | Message) -> bool:
        return await self.notices.tell(slack_user_id, text)

    async def aclose(self) -> None:
        await self.tasks.shutdown()
        await self.responder.aclose()
        await self.providers.aclose()
        await self.database.dispose()


async def start_runtime(
    settings: Settings,
    *,
    bot_token: str | None = None,
    transports: dict[ProviderName, httpx.AsyncBaseTransport] | None = None,
    migrate: bool | None = None,
    current_schema: bool = True,
    slack_session: aiohttp.ClientSession | None = None,
) -> Runtime:
    """Open the store (migrating SQLite on start), the provider clients and the Slack client.

    Slack is reached through aiohttp: by default slack_sdk opens a session per Web API call
    and `Responder` keeps one pooled for `response_url`; `slack_session`, when given, carries
    both (its owner closes it; tests reach the Slack stand-in in-process through one).

    A database behind on migrations stops start-up with `DatabaseBehind` (one line) unless
    `current_schema` is False (`check` reports it as one of its lines instead).
    """
    redact.register(*settings.secret_values())
    database = Database(settings.database_url)
    if migrate if migrate is not None else database.is_sqlite:
        await upgrade(database)
    if current_schema:
        try:
            await require_current(database)
        except BaseException:
            await database.dispose()
            raise
    token = bot_token or (
        settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    )
    slack = AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        session=slack_session,  # Bolt's per-request clients carry it over too
        # slack_sdk's own handlers: a 429 waits out Retry-After, a dropped connection retries
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        ],
    )
    notices = Notices(
        slack, settings.switchboard_admins, database, now, region=settings.switchboard_default_region
    )

    async def tell_after_commit(told: list[tuple[str, Told]]) -> None:
        for slack_user_id, change in told:
            await notices.tell(slack_user_id, change.text(settings.switchboard_default_region))

    database.after_commit = tell_after_commit
    providers = build_providers(
        settings, database, transports=transports, alert=notices.alert_admins, clock=now
    )
    profiles = SlackProfiles(slack)
    workspace = SlackWorkspace(slack)
    virtual_numbers = providers.virtual_numbers
    destinations = DestinationPolicy(
        region=settings.switchboard_default_region,
        allowed_countries=settings.switchboard_allowed_countries,
        extensions=[providers.specs.specs[name] for name in providers.adapters],  # the providers in use
    )
    identity = Identity(
        database=database,
        directory=providers.directory,
        profiles=profiles,
        workspace=workspace,
        clock=now,
        region=settings.switchboard_default_region,
        providers=frozenset(settings.providers),
        virtual_numbers=frozenset(virtual_numbers),
        specs=providers.specs,
    )
    forwarding = ForwardingService(
        database=database,
        identity=identity,
        numbers=providers.forwarding,
        capabilities=providers.capabilities,
        clock=now,
        destinations=destinations,
    )
    sign_ins = providers.sign_in
    if sign_ins is not None:
        signed_in_at = sign_ins.provider

        async def tell_expired(slack_user_id: str) -> None:
            await notices.tell(slack_user_id, expired(signed_in_at))

        sign_ins.on_expired = tell_expired
    toggles = ToggleService(
        database=database,
        identity=identity,
        quick_forward=providers.quick_forward,
        capabilities=providers.capabilities,
        clock=now,
        destinations=destinations,
    )
    return Runtime(
        settings=settings,
        database=database,
        providers=providers,
        slack=slack,
        tasks=TaskRunner(limit=settings.switchboard_max_background_tasks, describe=describe),
        identity=identity,
        forwarding=forwarding,
        transfers=TransferService(
            database=database,
            identity=identity,
            finder=CallFinder(
                controls=providers.live_calls,
                capabilities=providers.capabilities,
                region=settings.switchboard_default_region,
            ),
            forwarding=forwarding,
            clock=now,
            confirm_delay=settings.switchboard_retry_scale,
        ),
        toggles=toggles,
        rotations=RotationService(
            database=database,
            identity=identity,
            clock=now,
            destinations=destinations,
            virtual_numbers=frozenset(virtual_numbers),
            specs=providers.specs,
            toggles=toggles,
        ),
        handoffs=HandoffEngine(
            database=database,
            toggles=toggles,
            forwarding=forwarding,
            identity=identity,
            notifier=notices,
            clock=now,
            drift_check=timedelta(seconds=settings.switchboard_drift_check_seconds),
            groups=GroupKeeper(database=database, port=SlackUserGroups(slack), clock=now),
            cover_board=SlackCoverBoard(slack),
        ),
        sign_in=SignInService(
            database=database,
            identity=identity,
            sign_ins=sign_ins,
            pages=providers.sign_in_pages,
            public_url=settings.switchboard_public_url,
            clock=now,
            box=SecretBox(settings.switchboard_secret_key),
            known=KNOWN.with_capability(Capability.PERSONAL_SIGN_IN),
        ),
        push=PushKeeper(
            database=database,
            push=providers.push,
            public_url=settings.switchboard_public_url,
            clock=now,
            box=SecretBox(settings.switchboard_secret_key),
        ),
        cards=CallCards(
            database=database,
            identity=identity,
            notifier=notices,
            forwarding=forwarding,
            ringing=providers.ringing,
            clock=now,
        ),
        destinations=destinations,
        notices=notices,
        profiles=profiles,
        workspace=workspace,
        responder=Responder(slack_session),
    )
