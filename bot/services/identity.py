"""Linking Slack users to provider lines: by email on first use, or by an admin.

docs/contract.md "Trust": an email link only for a confirmed full member of our workspace, a line
belongs to one Slack user (a unique index backs it), an email link lasts only while the
email still matches (on Slack's side and on the provider's: an extension given to a new
hire), and a rotation's hotline is never a person's line.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from bot.domain.clock import monotonic
from bot.domain.notices import Message, Person, Verbatim, message
from bot.errors import NotLinked, UserError
from bot.providers.base import Directory, ProviderName
from bot.providers.errors import ProviderError
from bot.providers.specs import KnownSpecs, LineTyping
from bot.services import audit, link_writes
from bot.services.actor import Actor
from bot.services.line_specs import LineSpecs
from bot.services.link_writes import snapshot
from bot.services.profiles import Profile, Profiles, WorkspaceSource
from bot.store import Database
from bot.store import links as link_store
from bot.store import rotations as rotation_store
from bot.store.links import LinkRecord

log = logging.getLogger(__name__)

LINK_CACHE_SECONDS = 10.0
ASK_ADMIN = message(
    "ask a Switchboard admin to link you with ", Verbatim("/switchboard link @you <extension>")
)
NOT_A_MEMBER = message(
    "Switchboard links lines by email only for full members of this workspace with a confirmed email; ",
    ASK_ADMIN,
    ".",
)
# An email that matched no extension is not looked up again for this long, unless the
# person's Slack profile changes (`user_change`): a new hire added to RingCentral later is
# found within the hour.
MISS_TTL = timedelta(hours=1)
LINE_TAKEN = message(
    "The phone line with your email is already linked to someone else; ", ASK_ADMIN, "."
)
# A person's extension is read back at most this often (Slack sends `user_change` for any
# profile edit, a status included; each read is a request on the administrator's bucket).
DIRECTORY_RECHECK_GAP_SECONDS = 600.0
SYSTEM = "switchboard"


@dataclass(frozen=True)
class Linked:
    """An admin link made; `displaced`: who held the line before (`replace`), to be told."""

    link: LinkRecord
    displaced: str | None = None


class Identity:
    def __init__(
        self,
        *,
        database: Database,
        directory: Directory | None,
        profiles: Profiles,
        workspace: WorkspaceSource,
        clock: Callable[[], datetime],
        region: str,
        providers: frozenset[ProviderName],
        virtual_numbers: frozenset[str],
        specs: KnownSpecs,
    ) -> None:
        self._database = database
        self._directory = directory
        self._profiles = profiles
        self._workspace = workspace
        self._clock = clock
        self._specs = LineSpecs(specs, directory, providers, virtual_numbers, region)
        self._links: dict[str, tuple[float, list[LinkRecord]]] = {}
        self._why_not: dict[str, Message] = {}
        self._read_back: dict[str, float] = {}  # when each person's extension was last read

    @property
    def directory(self) -> Directory | None:
        return self._directory

    @property
    def workspace(self) -> WorkspaceSource:
        return self._workspace

    @property
    def line_typing(self) -> LineTyping:
        """The help for typing a line, in the words of the providers in use."""
        return self._specs.typing

    async def lines_of(self, slack_user_id: str) -> list[LinkRecord]:
        """The user's links (admin-made first); links by Slack email the first time.

        Found links are remembered for LINK_CACHE_SECONDS in this process (a store read per
        request was a large share of its cost); changes made here forget them at once, and
        another instance sees an admin's change within that many seconds.
        """
        cached = self._links.get(slack_user_id)
        if cached and monotonic() - cached[0] < LINK_CACHE_SECONDS:
            return cached[1]
        async with self._database.session() as session:
            found = await link_store.links_of(session, slack_user_id=slack_user_id)
            blocked = await link_store.is_unlinked(session, slack_user_id=slack_user_id)
        if found or blocked or self._directory is None:
            if found:
                self._links[slack_user_id] = (monotonic(), found)
            return found
        auto = await self._link_by_email(slack_user_id)
        return [auto] if auto else []

    async def profile(self, slack_user_id: str) -> Profile:
        """The person's Slack profile (name, email, time zone), cached briefly."""
        return await self._profiles.profile(slack_user_id)

    async def require_lines(self, slack_user_id: str, *, own: bool) -> list[LinkRecord]:
        lines = await self.lines_of(slack_user_id)
        if lines:
            return lines
        if own:
            raise NotLinked(
                self._why_not.get(slack_user_id)
                or message("You aren't linked to a phone line yet; ", ASK_ADMIN, ".")
            )
        raise NotLinked(message(Person(slack_user_id), " isn't linked to a phone line yet."))

    async def _link_by_email(self, slack_user_id: str) -> LinkRecord | None:
        """Link a confirmed full member to the one enabled extension with their email."""
        assert self._directory is not None
        profile = await self._profiles.profile(slack_user_id)
        if not profile.may_link_by_email(await self._workspace.get()):
            self._why_not[slack_user_id] = NOT_A_MEMBER  # and no provider is asked about them
            return None
        assert profile.email is not None
        now = self._clock()
        async with self._database.session() as session:
            if await link_store.missed_recently(
                session, slack_user_id=slack_user_id, email=profile.email, since=now - MISS_TTL
            ):
                return None  # asked already: a directory lookup is RingCentral's Medium group
        matches = await self._directory.find_by_email(profile.email)
        if len(matches) != 1:
            if matches:
                log.warning("email matches %d extensions; waiting for an admin link", len(matches))
            else:
                async with self._database.locked(f"miss:{slack_user_id}") as session:
                    await link_store.record_miss(
                        session, slack_user_id=slack_user_id, email=profile.email, now=now
                    )
            return None
        entry = matches[0]
        link = LinkRecord(
            slack_user_id=slack_user_id,
            provider=entry.provider,
            line_id=entry.line_id,
            extension_number=entry.extension_number,
            display_name=entry.name,
            source="email",
            email=profile.email.lower(),
        )
        async with self._database.session() as session:
            holder = await link_store.holder_of(session, provider=link.provider, line_id=link.line_id)
            hotline = await rotation_store.is_hotline(session, line=link.ref)
        if (holder and holder != slack_user_id) or hotline:
            self._why_not[slack_user_id] = LINE_TAKEN
            log.warning("email link refused: the line is held by another user or is a hotline")
            return None
        # A concurrent request may link the same user (or another user the same line) first:
        # the unique indexes decide, and what is in the store is the answer.
        with contextlib.suppress(IntegrityError):
            await self._save(
                Actor(slack_user_id, False), link, action="link.email", before=None, replace=False
            )
        async with self._database.session() as session:
            mine = await link_store.links_of(session, slack_user_id=slack_user_id)
        return next((x for x in mine if x.ref == link.ref), None)

    async def link(
        self, actor: Actor, *, slack_user_id: str, spec: str, replace: bool = False
    ) -> Linked:
        actor.require_admin()
        link = await self._specs.resolve(slack_user_id, spec)
        async with self._database.session() as session:
            existing = await link_store.links_of(session, slack_user_id=slack_user_id)
            holder = await link_store.holder_of(session, provider=link.provider, line_id=link.line_id)
            rotation = await rotation_store.hotline_owner(session, line=link.ref)
        if rotation:
            raise UserError(
                message(
                    "That line is the hotline of rotation ",
                    Verbatim(rotation),
                    "; a hotline can't be linked to a person.",
                )
            )
        displaced = holder if holder and holder != slack_user_id else None
        if displaced and not replace:
            raise UserError(
                message(
                    "That line is linked to ",
                    Person(displaced),
                    ". To move it, add ",
                    Verbatim("replace"),
                    ": ",
                    Verbatim("/switchboard link"),
                    " ",
                    Person(slack_user_id),
                    " ",
                    Verbatim(f"{spec} replace"),
                    ".",
                )
            )
        before = next((snapshot(x) for x in existing if x.provider == link.provider), None)
        if displaced:
            await self._take_line(actor, link, displaced)
        await self._save(actor, link, action="link.admin", before=before)
        return Linked(link, displaced)

    async def unlink(self, actor: Actor, *, slack_user_id: str) -> list[LinkRecord]:
        actor.require_admin()
        self._links.pop(slack_user_id, None)
        now = self._clock()
        async with self._database.session() as session:
            existing = await link_store.links_of(session, slack_user_id=slack_user_id)
            await link_store.remove_links(session, slack_user_id=slack_user_id, now=now)
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=slack_user_id,
                line=", ".join(x.ref for x in existing) or "-",
                action="unlink",
                before=[snapshot(x) for x in existing],
                after=None,
                now=now,
            )
        return existing

    async def profile_changed(self, profile: Profile) -> list[LinkRecord]:
        """Re-check a user's email links against a fresh profile; returns the links removed.

        An email link holds only while the profile still qualifies and its email is the
        one the link was made from. Admin links are kept.
        """
        still = profile.may_link_by_email(await self._workspace.get())
        async with self._database.session() as session:
            links = await link_store.links_of(session, slack_user_id=profile.slack_user_id)
        stale = [
            x
            for x in links
            if x.source == "email" and (not still or not await self._same_email(x, profile))
        ]
        now = self._clock()
        async with self._database.session() as session:
            if stale:
                await link_store.remove_email_links(session, slack_user_id=profile.slack_user_id)
                for x in stale:
                    await link_writes.record_unlinked(
                        session, actor=SYSTEM, link=x, action="unlink.profile", now=now
                    )
            await link_store.mark_checked(session, slack_user_id=profile.slack_user_id, now=now)
            await link_store.forget_miss(session, slack_user_id=profile.slack_user_id)
        self._links.pop(profile.slack_user_id, None)
        if stale:
            self._why_not[profile.slack_user_id] = NOT_A_MEMBER
            log.warning("removed %d email link(s) after a profile change", len(stale))
        return stale

    async def directory_changed(self, profile: Profile) -> list[LinkRecord]:
        """Re-check a user's email links against the directory; returns the links removed.

        An email link holds only while the extension still has the person's email: an
        extension reassigned to someone else (a new email) or gone loses it (audited).
        A directory that can't be read removes nothing (the next check tries again).
        """
        if self._directory is None:
            return []
        last = self._read_back.get(profile.slack_user_id)
        if last is not None and monotonic() - last < DIRECTORY_RECHECK_GAP_SECONDS:
            return []
        async with self._database.session() as session:
            links = await link_store.links_of(session, slack_user_id=profile.slack_user_id)
        if any(x.source == "email" for x in links):
            self._read_back[profile.slack_user_id] = monotonic()
        email = (profile.email or "").strip().lower()
        stale: list[LinkRecord] = []
        for x in links:
            if x.source != "email" or x.provider != self._directory.provider.value:
                continue
            try:
                entry = await self._directory.entry(x.line_id)
            except ProviderError as exc:
                log.warning(
                    "could not re-read a linked extension (%s); will try again", type(exc).__name__
                )
                continue
            if entry is None or not email or entry.email.strip().lower() != email:
                stale.append(x)
        if not stale:
            return []
        now = self._clock()
        removed: list[LinkRecord] = []
        async with self._database.session() as session:
            for x in stale:
                if not await link_store.remove_email_link(
                    session, slack_user_id=x.slack_user_id, provider=x.provider, line_id=x.line_id
                ):
                    continue  # changed meanwhile (an admin link, a sign-in): theirs to keep
                removed.append(x)
                await link_writes.record_unlinked(
                    session, actor=SYSTEM, link=x, action="unlink.directory", now=now
                )
        self.forget_links(profile.slack_user_id)
        if removed:
            log.warning("removed %d email link(s): the extension's email changed", len(removed))
        return removed

    async def due_for_check(self, *, before: datetime, limit: int) -> list[str]:
        async with self._database.session() as session:
            return await link_store.due_for_check(session, before=before, limit=limit)

    def forget_profile(self, slack_user_id: str) -> None:
        self._profiles.forget(slack_user_id)
        self._why_not.pop(slack_user_id, None)

    async def _same_email(self, link: LinkRecord, profile: Profile) -> bool:
        """Is the profile's email still the one the link was made from?

        Links made before emails were kept (empty) are checked against the directory.
        """
        email = (profile.email or "").lower()
        if link.email or self._directory is None:
            return email == link.email
        matches = await self._directory.find_by_email(email) if email else []
        return any(m.line_id == link.line_id for m in matches)

    async def _take_line(self, actor: Actor, link: LinkRecord, holder: str) -> None:
        self._links.pop(holder, None)
        await link_writes.take_line(
            self._database, actor=actor.slack_user_id, link=link, holder=holder, now=self._clock()
        )

    async def _save(
        self, actor: Actor, link: LinkRecord, *, action: str, before: object, replace: bool = True
    ) -> None:
        self.forget_links(link.slack_user_id)
        await link_writes.save(
            self._database,
            actor=actor.slack_user_id,
            link=link,
            action=action,
            before=before,
            replace=replace,
            now=self._clock(),
        )

    def forget_links(self, slack_user_id: str) -> None:
        """Drop what this process remembers of the user's links (they just changed)."""
        self._links.pop(slack_user_id, None)
        self._why_not.pop(slack_user_id, None)
