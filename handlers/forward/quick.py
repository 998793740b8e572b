"""`/forward to | off | voicemail | status`: the quick toggle from a slash command."""

from __future__ import annotations

from datetime import datetime

from bot.domain.capabilities import Capability
from bot.domain.forwarding import Status
from bot.domain.records import LinkRecord
from bot.errors import UserError
from bot.mrkdwn import code
from bot.phone import display
from bot.runtime import Runtime
from bot.services.actor import Actor
from bot.services.forwarding import Ambiguous, Number
from bot.services.toggles import ToggleResult
from bot.slack.blocks import message
from bot.slack.respond import Respond
from handlers.shared.home_page import publish_home
from handlers.shared.when import ends_at, local_time, split_when

AS_LAST_SET = "as last set by Switchboard at {when}"
UNSEEN = " (changes made in {provider}'s dashboard can't be seen)"


class QuickToggle:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.toggles = runtime.toggles
        self.region = runtime.settings.switchboard_default_region

    async def to(self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond) -> None:
        words, when = split_when(rest)
        if not words:
            raise UserError("Usage: `/forward to <number-or-label> [for 2h | until 18:00]`.")
        line = await self.toggles.line(actor, subject)
        target, numbers = await self._target(line, " ".join(words))
        until = await self._until(actor, when)
        result = await self.toggles.turn_on(
            actor, line, kind="forward", target=target, until=until, key=key
        )
        await self._report(actor, result, respond, numbers=numbers)

    async def voicemail(
        self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond
    ) -> None:
        words, when = split_when(rest)
        line = await self.toggles.line(actor, subject)
        until = await self._until(actor, when)
        target = ""
        declared = self.runtime.providers.capabilities.of(line.provider)
        if declared is not None and declared.voicemail_notifies_email:
            target = (
                words[0]
                if words
                else (await self.runtime.identity.profile(line.slack_user_id)).email or ""
            )
            if "@" not in target:
                raise UserError(
                    "Give the e-mail address to notify: `/forward voicemail you@example.com`."
                )
        result = await self.toggles.turn_on(
            actor, line, kind="voicemail", target=target, until=until, key=key
        )
        await self._report(actor, result, respond)

    async def off(self, actor: Actor, subject: str, rest: list[str], key: str, respond: Respond) -> None:
        if rest:
            raise UserError("Usage: `/forward off`.")
        line = await self.toggles.line(actor, subject)
        result = await self.toggles.turn_off(actor, line, key=key)
        await self._report(actor, result, respond)

    async def status(
        self, actor: Actor, subject: str, rest: list[str], _key: str, respond: Respond
    ) -> None:
        if rest:
            raise UserError("Usage: `/forward status [@user]`.")
        line, status = await self.toggles.status(actor, subject)
        await respond(**message(await self.describe(actor.slack_user_id, line, status)))

    async def describe(self, viewer: str, line: LinkRecord, status: Status) -> str:
        """Where `line`'s calls go, as `viewer` reads it (their words, their time zone)."""
        whose = "Your calls" if line.slack_user_id == viewer else f"<@{line.slack_user_id}>'s calls"
        now = self.runtime.clock()
        zone = (await self.runtime.identity.profile(viewer)).timezone
        if status.mode == "normal":
            text = f"{whose} ring as usual."
        else:
            where = (
                "voicemail"
                if status.mode == "voicemail"
                else code(display(status.target or "", self.region))
            )
            until = f" until {local_time(status.until, zone, now)}" if status.until else ""
            text = f"{whose} go to {where}{until}."
            if not status.ours:
                text += " This was set outside Switchboard; Switchboard leaves it alone."
        if status.as_last_set_at is not None:
            when = AS_LAST_SET.format(when=local_time(status.as_last_set_at, zone, now))
            declared = self.runtime.providers.capabilities.of(line.provider)
            if declared is not None and not declared.state_readable:
                when += UNSEEN.format(provider=line.provider.display)
            text = f"{text[:-1]}, {when}."
        return text

    async def _target(self, line: LinkRecord, text: str) -> tuple[str, list[Number] | None]:
        """The number to forward to, and the line's numbers when they were read for it."""
        numbers = None
        if self.runtime.providers.capabilities.can(line, Capability.FORWARDING_NUMBERS):
            numbers = await self.runtime.forwarding.numbers(line)
            try:
                return self.runtime.forwarding.resolve(numbers, text).phone, numbers
            except Ambiguous:
                pass
        if not any(ch.isdigit() for ch in text):
            words = self.runtime.forwarding.type_words(line)[:2]
            examples = f" ({', '.join(code(w) for w in words)}…)" if words else ""
            raise UserError(
                f"{code(text[:40])} isn't one of your labels or a number. Give a number or one of "
                f"your labels{examples}."
            )
        return self.runtime.destinations.number(text), numbers

    async def _until(self, actor: Actor, when: list[str]) -> datetime | None:
        zone = (await self.runtime.identity.profile(actor.slack_user_id)).timezone if when else None
        return ends_at(when, self.runtime.clock(), zone)

    async def _report(
        self,
        actor: Actor,
        result: ToggleResult,
        respond: Respond,
        numbers: list[Number] | None = None,
    ) -> None:
        if result.replayed:
            return
        zone = (await self.runtime.identity.profile(actor.slack_user_id)).timezone
        now = self.runtime.clock()
        if result.kind is None and result.reverted == "changed":  # not restored: don't say it was
            text = (
                "The forwarding Switchboard set had been changed in the provider's app since, so "
                "I left it as it is; see where your calls go with `/forward status`."
            )
        elif result.kind is None:
            text = "Forwarding is off; your calls ring as usual again."
        else:
            where = (
                "voicemail" if result.kind == "voicemail" else code(display(result.target, self.region))
            )
            until = (
                f" until {local_time(result.until, zone, now)}"
                if result.until
                else " until you say `/forward off`"
            )
            text = f"All calls now go to {where}{until}."
        await respond(**message(text))
        await self._refresh_home(result, numbers)

    async def _refresh_home(self, result: ToggleResult, numbers: list[Number] | None) -> None:
        """The owner's App Home, told the state just set rather than reading it back."""
        owner = result.line.slack_user_id
        status = None  # read back: what the provider's app set is left there, not known here
        if result.reverted != "changed":
            now = Status(mode=result.kind or "normal", target=result.target or None, until=result.until)
            status = await self.describe(owner, result.line, now)
        on = result.kind is not None or result.reverted == "changed"
        await publish_home(self.runtime, owner, numbers=numbers, status=status, status_on=on)
