"""Parsing and running /switchboard subcommands."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncBoltContext

from bot.domain import notices
from bot.domain.capabilities import Capability
from bot.domain.lines import LineRef
from bot.errors import UserError
from bot.mrkdwn import code, mention
from bot.runtime import Runtime
from bot.services import audit
from bot.services.actor import Actor
from bot.slack.blocks import message
from bot.slack.rendering import render
from bot.slack.respond import Respond
from handlers.admin import audit_text, views
from handlers.shared import Payload, actor_of, split_mention
from handlers.shared.background import in_background
from handlers.shared.sign_in import signs_in
from handlers.shared.suggest import did_you_mean

DEFAULT_AUDIT_ROWS = 10
MAX_AUDIT_ROWS = 50
USAGE_AUDIT = "Usage: `/switchboard audit [@user] [line <extension>] [number of rows]`."
USAGE_LINK = "Usage: `/switchboard link @user <extension> [replace]`"  # then the alternatives


class SwitchboardCommand:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def _signs_in(self) -> str:
        """The provider people connect their own sign-in to ("RingCentral")."""
        return signs_in(self.runtime.providers.capabilities)

    async def handle(
        self, ack: AsyncAck, command: Payload, respond: Respond, context: AsyncBoltContext
    ) -> None:
        words = str(command.get("text") or "").split()
        verb = words[0].lower() if words else "help"
        actor = actor_of(context)
        work = {
            "whoami": self._whoami,
            "connect": self._connect,
            "disconnect": self._disconnect,
            "calls": self._calls,
            "link": self._link,
            "unlink": self._unlink,
            "audit": self._audit,
        }.get(verb)
        if work is None:
            verbs = ("help", "whoami", "connect", "disconnect", "calls", "link", "unlink", "audit")
            help_text = views.help_text(self.runtime.identity.line_typing, self._signs_in)
            await ack(**message(did_you_mean(verb, verbs) + help_text))
            return
        await ack()
        in_background(self.runtime, respond, work(actor, words[1:], respond))

    async def _whoami(self, actor: Actor, _args: list[str], respond: Respond) -> None:
        lines = await self.runtime.identity.lines_of(actor.slack_user_id)
        connected = await self.runtime.sign_in.connected(actor.slack_user_id)
        offered = self.runtime.sign_in.offered(lines)
        text, blocks = views.whoami(
            actor.slack_user_id,
            lines,
            actor.is_admin,
            region=self.runtime.settings.switchboard_default_region,
            capabilities=self.runtime.providers.capabilities,
            signs_in=self._signs_in,
            directory=self.runtime.providers.capabilities.named(Capability.DIRECTORY),
            connected=connected,
            offered=offered,
        )
        await respond(**message(text, blocks))

    async def _connect(self, actor: Actor, args: list[str], respond: Respond) -> None:
        if args:
            raise UserError("Usage: `/switchboard connect` (it connects your own login).")
        url = await self.runtime.sign_in.start(actor)
        text, blocks = views.connect(url, self._signs_in)
        await respond(**message(text, blocks))

    async def _calls(self, actor: Actor, args: list[str], respond: Respond) -> None:
        if len(args) != 1 or args[0].lower() not in ("on", "off"):
            raise UserError("Usage: `/switchboard calls on` or `/switchboard calls off`.")
        on = args[0].lower() == "on"
        pushes = self.runtime.providers.capabilities.named(Capability.PUSH)
        await self.runtime.cards.opt(actor.slack_user_id, on=on)
        await respond(**message(views.calls_switched(on, live=self.runtime.push.enabled, pushes=pushes)))

    async def _disconnect(self, actor: Actor, args: list[str], respond: Respond) -> None:
        if args:
            raise UserError("Usage: `/switchboard disconnect` (it disconnects your own login).")
        had = await self.runtime.sign_in.disconnect(actor)
        await respond(**message(views.disconnected(had, self._signs_in)))

    async def _link(self, actor: Actor, args: list[str], respond: Respond) -> None:
        actor.require_admin()
        user, rest = split_mention(args)
        replace = len(rest) == 2 and rest[1].lower() == "replace"
        if user is None or len(rest) != 1 + replace:
            alternatives = self.runtime.identity.line_typing.link_alternatives
            raise UserError(notices.message(USAGE_LINK, alternatives, "."))
        done = await self.runtime.identity.link(actor, slack_user_id=user, spec=rest[0], replace=replace)
        region = self.runtime.settings.switchboard_default_region
        capabilities = self.runtime.providers.capabilities
        said = views.linked(
            user, done.link, region=region, capabilities=capabilities, displaced=done.displaced
        )
        await respond(**message(said))
        if done.displaced:
            taken = views.line_taken(actor.slack_user_id, done.link, region, capabilities)
            await self.runtime.notify(done.displaced, taken)

    async def _unlink(self, actor: Actor, args: list[str], respond: Respond) -> None:
        actor.require_admin()
        user, rest = split_mention(args)
        if user is None or rest:
            raise UserError("Usage: `/switchboard unlink @user`.")
        removed = await self.runtime.identity.unlink(actor, slack_user_id=user)
        await respond(**message(views.unlinked(user, removed)))

    async def _audit(self, actor: Actor, args: list[str], respond: Respond) -> None:
        actor.require_admin()
        user, rest = split_mention(args)
        line, limit = None, DEFAULT_AUDIT_ROWS
        if len(rest) >= 2 and rest[0].lower() == "line":
            line = await audit.find_line(self.runtime.database, rest[1])
            directory = self.runtime.identity.directory
            if line is None and directory is not None:  # no longer linked: RingCentral knows it
                entry = await directory.find_by_extension_number(rest[1])
                line = str(LineRef(entry.provider, entry.line_id)) if entry else None
            if line is None:
                typed = notices.Verbatim(rest[1][:30])
                raise UserError(notices.message("No linked line or hotline is numbered ", typed, "."))
            rest = rest[2:]
        if rest:
            if len(rest) != 1 or not rest[0].isdigit():
                raise UserError(USAGE_AUDIT)
            limit = max(1, min(MAX_AUDIT_ROWS, int(rest[0])))
        entries, total = await audit.recent(
            self.runtime.database, actor, slack_user_id=user, limit=limit, line=line
        )
        named = await audit.line_names(self.runtime.database, {e.line for e in entries})
        names = {ref: render(name) for ref, name in named.items()}
        zone = (await self.runtime.identity.profile(actor.slack_user_id)).timezone
        region = self.runtime.settings.switchboard_default_region
        capabilities = self.runtime.providers.capabilities
        rows = [
            audit_text.row(e, names, zone, self.runtime.clock(), region, capabilities=capabilities)
            for e in entries
        ]
        scope = f" for {mention(user)}" if user else ""
        scope += f" on {names.get(line, code(line))}" if line else ""
        text, blocks = views.audit(rows, scope, more=total - len(entries))
        await respond(**message(text, blocks))
