"""`/switchboard connect`: a person signs in to the provider with personal sign-in themselves.

Their own sign-in gives them their own rate bucket (RingCentral, for one, limits per user and app)
and is proof that the extension is theirs: it replaces their email link and takes the
line from anyone holding it by email (who is told). A line an admin linked to someone
else, a rotation's hotline, and a person an admin unlinked are refused.

A sign-in proves ownership only when the person who asked is the one who signed in: the
link opens the bot's start page, which binds the sign-in to that browser with a cookie,
and the callback links nothing unless the same browser comes back with it (a link sent on
to a colleague can't finish) and the extension signed into has the email of the Slack
profile. Whoever may not be linked by email (guests, external users, unconfirmed emails,
bots) may not connect either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from bot.domain.capabilities import Capability, cannot
from bot.domain.lines import ProviderName
from bot.domain.notices import Message, Verbatim, fill, message, plain
from bot.errors import UserError
from bot.providers.errors import ProviderError, Rejected
from bot.providers.sign_in import PersonalSignIn, SignedInLine, SignInPages
from bot.services import audit, link_writes
from bot.services.actor import Actor
from bot.services.identity import Identity
from bot.store import Database, oauth_states
from bot.store import links as link_store
from bot.store import rotations as rotation_store
from bot.store.links import LinkRecord
from bot.store.sealed import PLAIN, SecretBox

log = logging.getLogger(__name__)

CONNECT_TTL = timedelta(minutes=10)
# Every connected pair is renewed when it is older than this: at least once a day.
KEEP_ALIVE_AFTER = timedelta(hours=20)
KEEP_ALIVE_PER_TICK = 20
COOKIE = "switchboard_signin"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# The sentences name the provider ({provider}: `ProviderName.display`) and the command
# ({connect}: a code span in Slack, plain words on the browser pages); the pages' paths and
# the sign-in app's variables are the provider's (`SignInPages`, bot/providers/sign_in.py).
CONNECT = Verbatim("/switchboard connect")
NOT_SET_UP = (
    "Connecting your own {provider} login isn't possible here: personal sign-in isn't set up "
    "in this deployment{settings}."
)
MAY_NOT_CONNECT = (
    "Only full members of this workspace with a confirmed email can connect their own "
    "{provider} login, so an admin has to link you: ask a Switchboard admin."
)
OPENED_ELSEWHERE = (
    "This sign-in link can't be used here: it works in one browser, once, for 10 minutes; "
    "run {connect} in Slack for a new one."
)
OTHER_BROWSER = (
    "This {provider} sign-in was finished in a different browser from the one that opened "
    "the Switchboard link, so nothing was linked; run {connect} again and finish "
    "it in the same browser."
)
STALE_LINK = (
    "This sign-in link can't be used: each link works once, for 10 minutes. "
    "Run {connect} in Slack for a new one."
)
CANCELLED = "The {provider} sign-in was cancelled; nothing was linked."
CODE_REFUSED = "{provider} refused the sign-in; nothing was linked. Run {connect} again."
SIGN_IN_EXPIRED = (
    "Your {provider} sign-in has expired, so Switchboard acts on your line with the company "
    "login again (slower at busy times). Run {connect} to sign in again."
)
UNREACHABLE = (
    "Switchboard couldn't reach {provider} to finish the sign-in; nothing was linked. Try again shortly."
)


class SignInRefused(Exception):
    """The callback can't connect anyone; `sentence` is the page's text (and the DM's)."""

    def __init__(self, sentence: str | Message, slack_user_id: str | None = None) -> None:
        self.said = message(sentence) if isinstance(sentence, str) else sentence
        self.sentence = plain(self.said)  # the page's words (HTML, not Slack)
        super().__init__(self.sentence)
        self.slack_user_id = slack_user_id


@dataclass(frozen=True)
class Connected:
    link: LinkRecord
    displaced: str | None  # who held the line by email, to be told


@dataclass(frozen=True)
class Opened:
    """What the start page answers: where the browser goes, and the cookie it keeps."""

    authorize_url: str
    cookie: str
    secure: bool
    path: str  # the sign-in pages' (`SignInPages.base` under the public URL's path)


def not_yours(extension: SignedInLine, provider: ProviderName) -> str:
    return (
        f"That {provider.display} login (extension {extension.extension_number}) doesn't have the "
        f"email of your Slack profile, so nothing was linked; sign in to {provider.display} as yourself."
    )


def expired(provider: ProviderName) -> Message:
    """What a person is told when the provider refused to renew their own sign-in."""
    return fill(SIGN_IN_EXPIRED, provider=provider.display, connect=CONNECT)


def challenge_of(verifier: str) -> str:
    """The S256 code_challenge of a code_verifier, as RFC 7636 defines it."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, S256 code_challenge) as RFC 7636 defines them."""
    verifier = secrets.token_urlsafe(48)
    return verifier, challenge_of(verifier)


class SignInService:
    def __init__(
        self,
        *,
        database: Database,
        identity: Identity,
        sign_ins: PersonalSignIn | None,
        pages: SignInPages | None,
        public_url: str | None,
        clock: Callable[[], datetime],
        box: SecretBox = PLAIN,
        known: Sequence[ProviderName] = (),
    ) -> None:
        self._database = database
        self._identity = identity
        self._sign_ins = sign_ins
        # the pages of the provider in use that declares personal sign-in (with or without
        # its sign-in app): None when no provider in use has it
        self.pages = pages
        self._known = tuple(known)  # the providers Switchboard knows with it, in use or not
        self.public_url = (public_url or "").rstrip("/")  # SWITCHBOARD_PUBLIC_URL
        self._clock = clock
        self._box = box

    @property
    def _provider(self) -> ProviderName | None:
        """Whose sign-in this deployment offers (or would, with its sign-in app set)."""
        if self._sign_ins is not None:
            return self._sign_ins.provider
        return self.pages.provider if self.pages is not None else None

    def _say(self, sentence: str) -> Message:
        """One of the sentences above, naming the provider and the command."""
        provider = self._provider
        return fill(sentence, provider=provider.display if provider else "phone system", connect=CONNECT)

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url}{self.pages.callback if self.pages else ''}"

    @property
    def cookie_path(self) -> str:
        """The cookie's Path: the sign-in pages under the public URL's own path, if it has one
        (a proxy serving the bot at `https://host/prefix`), or the browser never sends it back."""
        return urlsplit(self.public_url).path.rstrip("/") + (self.pages.base if self.pages else "")

    @property
    def secure_cookie(self) -> bool:
        """The cookie is `Secure` unless the public URL is plain http on a loopback address."""
        parts = urlsplit(self.public_url)
        return not (parts.scheme == "http" and parts.hostname in LOOPBACK)

    def unavailable(self) -> str | None:
        """Why `/switchboard connect` can't work in this deployment, or None."""
        if self._sign_ins is None and self.pages is not None:
            settings = " and ".join(self.pages.app_settings)
            return NOT_SET_UP.format(
                provider=self.pages.provider.display,
                settings=f" (a Switchboard admin sets {settings})" if settings else "",
            )
        if self._sign_ins is None or self.pages is None:
            names = " or ".join(p.display for p in self._known)
            if not names:
                return "Connecting your own login isn't possible in this deployment."
            return f"Connecting your own login needs {names}, which this deployment doesn't use."
        if not self.public_url:
            return (
                f"Connecting your own {self._sign_ins.provider.display} login needs "
                "SWITCHBOARD_PUBLIC_URL; ask a Switchboard admin to set it."
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
        """A fresh link to the start page for the actor (single use, 10 minutes)."""
        reason = self.unavailable()
        if reason:
            raise UserError(reason)
        assert self._sign_ins is not None
        assert self.pages is not None
        async with self._database.session() as session:  # as stored: no email lookup here
            lines = await link_store.links_of(session, slack_user_id=actor.slack_user_id)
        if not self.offered(lines):
            raise UserError(cannot(Capability.PERSONAL_SIGN_IN, lines))
        if not await self._may_connect(actor.slack_user_id, fresh=False):
            raise UserError(self._say(MAY_NOT_CONNECT))  # and nothing is stored
        state = secrets.token_urlsafe(32)
        verifier, _ = pkce_pair()
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
        return f"{self.public_url}{self.pages.start}?{urlencode({'state': state})}"

    async def open(self, *, state: str, cookie: str | None) -> Opened:
        """The start page: bind the sign-in to this browser and send it to the provider.

        The first browser to open the link holds the sign-in; another is refused (the one
        that holds it may open the link again, with its cookie).
        """
        if self._sign_ins is None or not state:
            raise SignInRefused(self._say(STALE_LINK))
        browser = secrets.token_urlsafe(32)
        verifier = await oauth_states.bind_browser(
            self._database,
            state=state,
            browser_hash=oauth_states.digest(browser),
            previous_hash=oauth_states.digest(cookie) if cookie else None,
            now=self._clock(),
            box=self._box,
        )
        if verifier is None:
            raise SignInRefused(self._say(OPENED_ELSEWHERE))
        url = self._sign_ins.authorize_url(
            state=state, challenge=challenge_of(verifier), redirect_uri=self.redirect_uri
        )
        return Opened(url, browser, self.secure_cookie, self.cookie_path)

    async def complete(
        self, *, state: str, code: str, error: str, cookie: str | None = None
    ) -> Connected:
        """The callback: the state once, in the browser that opened the link; the code for
        tokens; the token's extension linked when its email is the Slack profile's."""
        if self._sign_ins is None or not state:
            raise SignInRefused(self._say(STALE_LINK))
        pending = await oauth_states.consume(
            self._database, state=state, now=self._clock(), box=self._box
        )
        if pending is None:
            raise SignInRefused(self._say(STALE_LINK))
        user = pending.slack_user_id
        if not _same_browser(pending.browser_hash, cookie):
            log.warning("sign-in callback from a browser that did not open the link")
            raise SignInRefused(self._say(OTHER_BROWSER), user)  # the code is never redeemed
        if error or not code:
            raise SignInRefused(self._say(CANCELLED), user)
        try:
            pair = await self._sign_ins.exchange(
                code=code, verifier=pending.verifier, redirect_uri=self.redirect_uri
            )
            extension = await self._sign_ins.line_of(user, pair)
        except Rejected:
            raise SignInRefused(self._say(CODE_REFUSED), user) from None
        except ProviderError as exc:
            log.warning("sign-in: %s failed (%s)", self._sign_ins.provider.display, type(exc).__name__)
            raise SignInRefused(self._say(UNREACHABLE), user) from None
        link = LinkRecord(
            slack_user_id=user,
            provider=self._sign_ins.provider,
            line_id=extension.line_id,
            extension_number=extension.extension_number,
            display_name=extension.name,
            source="signin",
            email=extension.email.lower(),
        )
        try:
            await self._check_owner(user, extension)
            displaced = await self._check_line(link)
        except SignInRefused:
            await self._sign_ins.revoke(user, pair)  # a login we won't use is not kept
            raise
        await self._sign_ins.keep(user, pair)
        await self._save(link, displaced)
        return Connected(link, displaced)

    async def keep_alive(self, now: datetime) -> int:
        """Renew connected pairs not renewed for KEEP_ALIVE_AFTER (a few per tick)."""
        if self._sign_ins is None:
            return 0
        return await self._sign_ins.keep_alive(before=now - KEEP_ALIVE_AFTER, limit=KEEP_ALIVE_PER_TICK)

    async def disconnect(self, actor: Actor) -> bool:
        """Revoke and forget the actor's own sign-in; False when they had none."""
        if self._sign_ins is None:
            return False
        forgotten = await self._sign_ins.forget(actor.slack_user_id)
        if forgotten:
            lines = await self._identity.lines_of(actor.slack_user_id)
            own = next((x.ref for x in lines if x.on(self._sign_ins.provider)), "-")
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

    async def may_connect(self, slack_user_id: str) -> bool:
        """May this person connect their own login (a confirmed full member)?"""
        return await self._may_connect(slack_user_id, fresh=False)

    async def _may_connect(self, slack_user_id: str, *, fresh: bool) -> bool:
        """Whoever may be linked by email may connect (docs/contract.md "Trust"); nobody else."""
        if fresh:
            self._identity.forget_profile(slack_user_id)
        profile = await self._identity.profile(slack_user_id)
        return profile.may_link_by_email(await self._identity.workspace.get())

    async def _check_owner(self, user: str, extension: SignedInLine) -> None:
        """The person still may connect, and the extension has their confirmed Slack email."""
        if not await self._may_connect(user, fresh=True):
            raise SignInRefused(self._say(MAY_NOT_CONNECT), user)
        email = (await self._identity.profile(user)).email or ""
        if not email or email.strip().lower() != extension.email.strip().lower():
            log.warning("sign-in refused: the extension's email is not the Slack user's")
            assert self._sign_ins is not None  # a callback is checked only with it
            raise SignInRefused(not_yours(extension, self._sign_ins.provider), user)

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
                message(
                    f"That {link.provider.display} login is the hotline of rotation ",
                    Verbatim(rotation),
                    ", not a person's line; nothing was linked.",
                ),
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


def _same_browser(bound: str | None, cookie: str | None) -> bool:
    """Does the callback's cookie hash to the one the start page bound the sign-in to?"""
    if not bound or not cookie:
        return False
    return hmac.compare_digest(oauth_states.digest(cookie), bound)
