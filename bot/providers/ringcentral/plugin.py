"""RingCentral as a plug-in (bot/providers/plugin.py): its client built from its settings."""

from __future__ import annotations

from bot.providers.base import Adapter
from bot.providers.plugin import Kit, Plugin
from bot.providers.ringcentral.adapter import adapter
from bot.providers.ringcentral.auth import TokenManager
from bot.providers.ringcentral.client import GROUP_LIMITS, RingCentralClient
from bot.providers.ringcentral.declaration import DECLARATION
from bot.providers.ringcentral.settings import RingCentralSettings
from bot.providers.ringcentral.sign_ins import SignIns
from bot.providers.ringcentral.specs import RingCentralSpec

RETRY_AFTER_DEFAULT = 60.0  # docs/design.md: RingCentral's Retry-After default (others 30 s)


def build(settings: RingCentralSettings, kit: Kit) -> Adapter:
    """The JWT app's client (the administrator's token), with personal sign-ins on their own
    app (authorization code) when RINGCENTRAL_SIGNIN_CLIENT_ID is set."""
    client_id, secret, jwt = settings.jwt_app
    url = settings.ringcentral_server_url
    http = kit.http(url, limits=GROUP_LIMITS, retry_after=RETRY_AFTER_DEFAULT)
    tokens = TokenManager(
        http=http,
        database=kit.database,
        client_id=client_id,
        client_secret=secret,
        jwt=jwt,
        on_rejected=kit.alert,
        box=kit.box,
        clock=kit.clock,
    )
    sign_ins = None
    if settings.signin_app is not None:
        signin_id, signin_secret = settings.signin_app
        sign_ins = SignIns(
            http=http,
            database=kit.database,
            server_url=url,
            client_id=signin_id,
            client_secret=signin_secret,
            box=kit.box,
            clock=kit.clock,
        )
    return adapter(RingCentralClient(http=http, tokens=tokens, sign_ins=sign_ins), kit.clock)


PLUGIN = Plugin(DECLARATION, RingCentralSpec(), RingCentralSettings, build)
