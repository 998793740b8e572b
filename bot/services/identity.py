"""Linking Slack users to provider lines: by email on first use, or by an admin."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot.errors import NotLinked, UserError
from bot.phone import InvalidNumber, to_e164
from bot.providers.base import Directory, ProviderName
from bot.services import audit
from bot.services.actor import Actor
from bot.services.profiles import Profile, Profiles
from bot.store import Database
from bot.store import audit as audit_store
from bot.store import links as link_store
from bot.store.audit import AuditRecord
from bot.store.links import LinkRecord

log = logging.getLogger(__name__)

VOIPNOW_SPEC = re.compile(r"^(?P<user>\d+)/(?P<ext>\d{4}\*\d{3}|\d{3})$")
LINK_CACHE_SECONDS = 10.0
ASK_ADMIN = "ask a Switchboard admin to link you with `/switchboard link @you <extension>`"


@dataclass(frozen=True)
class LinkTarget:
    provider: ProviderName
    spec: str


class Identity:
    def __init__(
        self,
        *,
        database: Database,
        directory: Directory | None,
        profiles: Profiles,
        clock: Callable[[], datetime],
        region: str,
        providers: frozenset[ProviderName],
        virtual_numbers: frozenset[str],
    ) -> None:
        self._database = database
        self._directory = directory
        self._profiles = profiles
        self._clock = clock
        self._region = region
        self._providers = providers
        self._virtual_numbers = virtual_numbers
        self._links: dict[str, tuple[float, list[LinkRecord]]] = {}

    async def lines_of(self, slack_user_id: str) -> list[LinkRecord]:
        """The user's links (admin-made first); links by Slack email the first time.

        Found links are remembered for LINK_CACHE_SECONDS in this process (a store read per
        request was a large share of its cost); changes made here forget them at once, and
        another instance sees an admin's change within that many seconds.
        """
        cached = self._links.get(slack_user_id)
        if cached and time.monotonic() - cached[0] < LINK_CACHE_SECONDS:
            return cached[1]
        async with self._database.session() as session:
            found = await link_store.links_of(session, slack_user_id=slack_user_id)
            blocked = await link_store.is_unlinked(session, slack_user_id=slack_user_id)
        if found or blocked or self._directory is None:
            if found:
                self._links[slack_user_id] = (time.monotonic(), found)
            return found
        auto = await self._link_by_email(slack_user_id)
        return [auto] if auto else []

    @property
    def directory(self) -> Directory | None:
        return self._directory

    async def profile(self, slack_user_id: str) -> Profile:
        """The person's Slack profile (name, email, time zone), cached briefly."""
        return await self._profiles.profile(slack_user_id)

    async def require_lines(self, slack_user_id: str, *, own: bool) -> list[LinkRecord]:
        lines = await self.lines_of(slack_user_id)
        if lines:
            return lines
        if own:
            raise NotLinked(f"You aren't linked to a phone line yet; {ASK_ADMIN}.")
        raise NotLinked(f"<@{slack_user_id}> isn't linked to a phone line yet.")

    async def _link_by_email(self, slack_user_id: str) -> LinkRecord | None:
        assert self._directory is not None
        profile = await self._profiles.profile(slack_user_id)
        if not profile.email:
            return None
        matches = await self._directory.find_by_email(profile.email)
        if len(matches) != 1:
            if matches:
                log.warning("email matches %d extensions; waiting for an admin link", len(matches))
            return None
        entry = matches[0]
        link = LinkRecord(
            slack_user_id=slack_user_id,
            provider=entry.provider.value,
            line_id=entry.line_id,
            extension_number=entry.extension_number,
            display_name=entry.name,
            source="email",
        )
        # A concurrent request may link the same user first: same result, one audit row.
        with contextlib.suppress(IntegrityError):
            await self._save(
                Actor(slack_user_id, False), link, action="link.email", before=None, replace=False
            )
        return link

    async def link(self, actor: Actor, *, slack_user_id: str, spec: str) -> LinkRecord:
        actor.require_admin()
        link = await self._resolve_spec(slack_user_id, spec)
        async with self._database.session() as session:
            existing = await link_store.links_of(session, slack_user_id=slack_user_id)
        before = next((_snapshot(x) for x in existing if x.provider == link.provider), None)
        await self._save(actor, link, action="link.admin", before=before)
        return link

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
                before=[_snapshot(x) for x in existing],
                after=None,
                now=now,
            )
        return existing

    async def audit_log(
        self, actor: Actor, *, slack_user_id: str | None, limit: int
    ) -> list[AuditRecord]:
        actor.require_admin()
        async with self._database.session() as session:
            return await audit_store.recent(session, limit=limit, slack_user_id=slack_user_id)

    async def _save(
        self, actor: Actor, link: LinkRecord, *, action: str, before: object, replace: bool = True
    ) -> None:
        self._links.pop(link.slack_user_id, None)
        now = self._clock()
        async with self._database.session() as session:
            await link_store.save_link(session, link=link, now=now, replace=replace)
            await audit.record(
                session,
                actor=actor.slack_user_id,
                subject=link.slack_user_id,
                line=link.ref,
                action=action,
                before=before,
                after=_snapshot(link),
                now=now,
            )

    async def _resolve_spec(self, slack_user_id: str, spec: str) -> LinkRecord:
        provider_name, _, value = spec.partition(":") if ":" in spec else ("ringcentral", "", spec)
        try:
            provider = ProviderName(provider_name.lower())
        except ValueError:
            raise UserError(
                "Link to an extension (`102`), `voipnow:<userId>/<extension>` or `smspartner:<number>`."
            ) from None
        if provider not in self._providers:
            raise UserError(f"{provider.value} isn't set up in this deployment.")
        if provider is ProviderName.RINGCENTRAL:
            return await self._ringcentral_link(slack_user_id, value.strip())
        if provider is ProviderName.VOIPNOW:
            match = VOIPNOW_SPEC.match(value.strip())
            if not match:
                raise UserError(
                    "A VoipNow line looks like `voipnow:<userId>/<extension>`, e.g. `voipnow:12/0003*210`."
                )
            return _admin_link(
                slack_user_id, provider, value.strip(), match["ext"], f"VoipNow {match['ext']}"
            )
        return self._smspartner_link(slack_user_id, value.strip())

    async def _ringcentral_link(self, slack_user_id: str, number: str) -> LinkRecord:
        if not number.isdigit() or self._directory is None:
            raise UserError("Give the RingCentral extension number, e.g. `/switchboard link @bob 103`.")
        entry = await self._directory.find_by_extension_number(number)
        if entry is None:
            raise UserError(f"RingCentral has no extension `{number}`.")
        return _admin_link(
            slack_user_id, entry.provider, entry.line_id, entry.extension_number, entry.name
        )

    def _smspartner_link(self, slack_user_id: str, raw: str) -> LinkRecord:
        try:
            number = to_e164(raw, self._region)
        except InvalidNumber as exc:
            raise UserError(exc.message) from None
        if number not in self._virtual_numbers:
            raise UserError(
                "That virtual number isn't one this deployment manages (SMSPARTNER_NUMBERS)."
            )
        return _admin_link(
            slack_user_id, ProviderName.SMSPARTNER, number, number, f"Virtual number {number}"
        )


def _admin_link(
    slack_user_id: str, provider: ProviderName, line_id: str, ext: str, name: str
) -> LinkRecord:
    return LinkRecord(
        slack_user_id=slack_user_id,
        provider=provider.value,
        line_id=line_id,
        extension_number=ext,
        display_name=name,
        source="admin",
    )


def _snapshot(link: LinkRecord) -> dict[str, str]:
    return {
        "provider": link.provider,
        "line_id": link.line_id,
        "extension": link.extension_number,
        "name": link.display_name,
        "source": link.source,
    }
