"""`/switchboard connect`: a person signs in to RingCentral themselves.

Their own sign-in gives them their own rate bucket (RingCentral limits per user and app)
and is proof that the extension is theirs: it replaces their email link and takes the
line from anyone holding it by email (who is told). A line an admin linked to someone
else, a rotation's hotline, and a person an admin unlinked are refused.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.lines import ProviderName
from bot.errors import UserError
from bot.providers.errors import ProviderError, Rejected
from bot.providers.ringcentral.sign_ins import SignIns
from bot.services import audit, link_writes
from bot.services.actor import Actor
from bot.services.capabilities import cannot
from bot.services.identity import Identity
from bot.store import Database, oauth_states
from bot.store import links as link_store
from bot.store import rotations as rotation_store
from bot.store.links import LinkRecord
from bot.store.sealed import PLAIN, SecretBox

log = logging.getLogger(__name__)

CONNECT_TTL = timedelta(minutes=10)
CALLBACK_PATH = "/ringcentral/oauth/callback"
STALE_LINK = (
    "This sign-in link can't be used: each link works once, for 10 minutes. "
    "Run `/switchboard connect` in Slack for a new one."
)
CANCELLED = "The RingCentral sign-in was cancelled; nothing was linked."
CODE_REFUSED = "RingCentral refused the sign-in; nothing was linked. Run `/switchboard connect` again."
SIGN_IN_EXPIRED = (
    "Your RingCentral sign-in has expired, so Switchboard acts on your line with the company "
    "login again (slower at busy times). Run `/switchboard connect` to sign in again."
)
UNREACHABLE = "Switchboard couldn't reach RingCentral to finish the sign-in; nothing was linked. Try again shortly."


class SignInRefused(Exception):
    """The callback can't connect anyone; `sentence` is the page's text (and the DM's)."""

    def __init__(self, sentence: str, slack_user_id: str | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.slack_user_id = slack_user_id


@dataclass(frozen=True)
class Connected:
    link: LinkRecord
    displaced: str | None  # who held the line by email, to be told


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 defines them."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class SignInService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        sign_ins: SignIns | None,
        public_url: str | None,
        clock: Callable[[], datetime],
        box: SecretBox = PLAIN,
    ) -> None:
        self._database = database
        self._identity = identity
        self._sign_ins = sign_ins
        self.public_url = (public_url or "").rstrip("/")  # SWITCHBOARD_PUBLIC_URL
        self._clock = clock
        self._box = box

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}{CALLBACK_PATH}"

    def unavailable(self) -> str | None:
        """Why `/switchboard connect` can't work in this deployment, or None."""
        if self._sign_ins is None:
            return "Connecting your own login needs RingCentral, which this deployment doesn't use."
        if not self.public_url:
            return (
                "Connecting your own RingCentral login needs SWITCHBOARD_PUBLIC_URL; "
                "ask a Switchboard admin to set it."
            )
        return None

    def offered(self, lines: list[LinkRecord]) -> bool:
        """Whether an own sign-in means anything to someone with these lines: this deployment
        offers it and a line (or, with none yet, the link it would make) is at its provider."""
        if self._sign_ins is None or self.unavailable():
            return False
        provider = self._sign_ins.provider
        return not lines or any(x.on(provider) for x in lines)

    async def start(self, actor: Actor) -> str:
        """A fresh authorization link for the actor (single use, 10 minutes)."""
        reason = self.unavailable()
        if reason:
            raise UserError(reason)
        assert self._sign_ins is not None
        async with self._database.session() as session:  # as stored: no email lookup here
            lines = await link_store.links_of(session, slack_user_id=actor.slack_user_id)
        if not self.offered(lines):
            raise UserError(cannot("use your own sign-in", lines))
        state = secrets.token_urlsafe(32)
        verifier, challenge = pkce_pair()
        now = self._clock()
        await oauth_states.begin(
            self._database,
            state=state,
            slack_user_id=actor.slack_user_id,
            verifier=verifier,
            expires_at=now + CONNECT_TTL,
            now=now,
            box=self._box,
        )
        return self._sign_ins.authorize_url(
            state=state, challenge=challenge, redirect_uri=self.redirect_uri
        )

    async def complete(self, *, state: str, code: str, error: str) -> Connected:
        """The callback: the state once, the code for tokens, the token's extension linked."""
        if self._sign_ins is None or not state:
            raise SignInRefused(STALE_LINK)
        pending = await oauth_states.consume(
            self._database, state=state, now=self._clock(), box=self._box
        )
        if pending is None:
            raise SignInRefused(STALE_LINK)
        user = pending.slack_user_id
        if error or not code:
            raise SignInRefused(CANCELLED, user)
        try:
            pair = await self._sign_ins.exchange(
                code=code, verifier=pending.verifier, redirect_uri=self.redirect_uri
            )
            extension = await self._sign_ins.extension_of(user, pair)
        except Rejected:
            raise SignInRefused(CODE_REFUSED, user) from None
        except ProviderError as exc:
            log.warning("sign-in: RingCentral failed (%s)", type(exc).__name__)
            raise SignInRefused(UNREACHABLE, user) from None
        link = LinkRecord(
            slack_user_id=user,
            provider="ringcentral",
            line_id=str(extension.id),
            extension_number=extension.extension_number,
            display_name=extension.name,
            source="signin",
            email=extension.contact.email.lower(),
        )
        try:
            displaced = await self._check_line(link)
        except SignInRefused:
            await self._sign_ins.revoke(user, pair)  # a login we won't use is not kept
            raise
        await self._sign_ins.keep(user, pair)
        await self._save(link, displaced)
        return Connected(link, displaced)

    async def disconnect(self, actor: Actor) -> bool:
        """Revoke and forget the actor's own sign-in; False when they had none."""
        if self._sign_ins is None:
            return False
        forgotten = await self._sign_ins.forget(actor.slack_user_id)
        if forgotten:
            lines = await self._identity.lines_of(actor.slack_user_id)
            own = next((x.ref for x in lines if x.on(ProviderName.RINGCENTRAL)), "-")
            async with self._database.session() as session:
                await audit.record(
                    session,
                    actor=actor.slack_user_id,
                    subject=actor.slack_user_id,
                    line=own,
                    action="signin.disconnect",
                    before={"connected": True},
                    after={"connected": False},
                    now=self._clock(),
                )
        return forgotten

    async def connected(self, slack_user_id: str) -> bool:
        return self._sign_ins is not None and await self._sign_ins.is_connected(slack_user_id)

    async def _check_line(self, link: LinkRecord) -> str | None:
        user = link.slack_user_id
        async with self._database.session() as session:
            unlinked = await link_store.is_unlinked(session, slack_user_id=user)
            rotation = await rotation_store.hotline_owner(session, line=link.ref)
            holder = await link_store.holder_of(session, provider=link.provider, line_id=link.line_id)
            held = await link_store.links_of(session, slack_user_id=holder) if holder else []
        if unlinked:
            raise SignInRefused("An admin unlinked you from Switchboard; ask a Switchboard admin.", user)
        if rotation:
            raise SignInRefused(
                f"That RingCentral login is the hotline of rotation `{rotation}`, not a person's line; "
                "nothing was linked.",
                user,
            )
        if holder is None or holder == user:
            return None
        theirs = next((x for x in held if x.ref == link.ref), None)
        if theirs is not None and theirs.source == "email":
            return holder
        raise SignInRefused(
            "A Switchboard admin linked that extension to someone else; ask them to move it. "
            "Nothing was linked.",
            user,
        )

    async def _save(self, link: LinkRecord, displaced: str | None) -> None:
        async with self._database.session() as session:
            existing = await link_store.links_of(session, slack_user_id=link.slack_user_id)
        before = next((link_writes.snapshot(x) for x in existing if x.provider == link.provider), None)
        now = self._clock()
        if displaced:
            await link_writes.take_line(
                self._database, actor=link.slack_user_id, link=link, holder=displaced, now=now
            )
            self._identity.forget_links(displaced)
        await link_writes.save(
            self._database,
            actor=link.slack_user_id,
            link=link,
            action="link.signin",
            before=before,
            now=now,
        )
        self._identity.forget_links(link.slack_user_id)
