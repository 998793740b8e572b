"""One shell session: typed lines → signed Slack requests → what the bot showed."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from bot import phone
from bot.devkit.in_process import Emulators
from bot.devkit.shell import browser, payloads
from bot.devkit.shell.render import Clickable, Renderer, Screen
from bot.devkit.shell.standin import Channel, SlackStandIn, SlackUser
from bot.domain.times import local_time
from bot.errors import number_refused
from bot.manifest import escaped_commands
from bot.runtime import Runtime
from bot.slack.rendering import render
from bot.web import signing

ReadLine = Callable[[str], Awaitable[str | None]]
Write = Callable[[str], None]

_MENTION = re.compile(r"(?<![<\w])@([A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+\.[A-Za-z]+)?)")
_EMAIL = re.compile(r"(?<![@\w.])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"(?<!<)https?://[^\s<>|]+")
BOT_URL = "http://localhost"  # where the shell serves the bot's HTTP front (in-process, loopback)
HINT = (
    "Type a slash command (try /switchboard help), :click N, :home, :as EMAIL, "
    ":ring @who [from +1 650 555 0142] or :quit."
)
RING_USAGE = (
    "Usage: :ring @alice from +1 650 555 0142 (the caller's number; any name after it), or a "
    "hotline: :ring 200 answered by @bob (picked up where its routing rings @bob)"
)
_MESSAGES = ("response_url", "chat.postEphemeral", "chat.postMessage", "chat.update")


class ShellSession:
    def __init__(
        self,
        *,
        runtime: Runtime,
        standin: SlackStandIn,
        http: httpx.AsyncClient,
        secret: str,
        user: SlackUser,
        read: ReadLine,
        write: Write,
    ) -> None:
        self.runtime = runtime
        self.standin = standin
        self.http = http
        self.secret = secret
        self.user = user
        self.read = read
        self.write = write
        self.renderer = Renderer(self._name_of, self._local_time)
        self.clickables: list[Clickable] = []
        self.open_view: dict[str, Any] | None = None
        self._home_wanted = False

    @property
    def _emulators(self) -> Emulators | None:
        return self.runtime.providers.emulators

    @property
    def prompt(self) -> str:
        return f"{self.user.name}> "

    async def handle(self, line: str) -> bool:
        """Run one typed line; False when the session should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line == ":quit":
            return False
        if line == ":home":
            self._home_wanted = True
            await self._post(payloads.app_home_opened(self.user.id), json_body=True)
            self._home_wanted = False
        elif line.startswith(":as"):
            self._switch(line[3:].strip())
        elif line.startswith(":click"):
            await self._click(line[6:].strip())
        elif line.startswith(":ring"):
            await self._ring(line[5:].strip())
        elif line.startswith("/"):
            await self._command(line)
        else:
            self.write(HINT)
        return True

    # -- lines ----------------------------------------------------------------------

    def _switch(self, email: str) -> None:
        user = self.standin.user_by_email(email)
        if user is None:
            self.write(f"No one with the email {email} is in the directory.")
            return
        self.user = user
        self.clickables = []  # another person does not see the previous one's screen
        self.write(f"(now typing as {user.real_name} <{user.email}>)")

    async def _command(self, line: str) -> None:
        command, _, text = line.partition(" ")
        typed = text.strip()
        body = payloads.slash_command(
            user_id=self.user.id,
            user_name=self.user.name,
            command=command,
            # as real Slack would send it: escaped only where the manifest asks for it
            text=self._escaped(typed) if command in escaped_commands() else typed,
            response_url=self.standin.response_url(),
        )
        await self._post(body)

    async def _click(self, arg: str) -> None:
        if not arg.isdigit() or not 1 <= int(arg) <= len(self.clickables):
            self.write(
                f"Nothing numbered {arg or '?'} to click; the last screen had {len(self.clickables)}."
            )
            return
        target = self.clickables[int(arg) - 1]
        if target.action.get("url"):  # a link button: Slack opens the page and tells the app
            self.write(
                await browser.follow(
                    str(target.action["url"]),
                    email=self.user.email,
                    emulator=self._emulators.ringcentral if self._emulators else None,
                    bot=self.http,
                    bot_url=BOT_URL,
                )
            )
        body = payloads.block_action(
            user_id=self.user.id,
            user_name=self.user.name,
            action=target.action,
            response_url=self.standin.response_url(),
            view=target.surface,
        )
        await self._post(body)

    async def _ring(self, arg: str) -> None:
        """A call rings someone's extension (or an extension by its number, such as a hotline)
        at the built-in emulator, which pushes it to the bot; `answered by @who` picks it up at
        the number the extension's routing rings for them (the on-call person, or the backup)."""
        arg, _, answerer = arg.partition(" answered by ")
        who, _, caller = arg.partition(" from ")
        target = who.strip().lstrip("@")
        emulator = self._emulators.ringcentral if self._emulators else None
        if emulator is None:
            self.write("Only the built-in emulator can ring a phone.")
            return
        state = emulator.emulator_state
        if target.isdigit():
            ext = next((e for e in state.extensions.values() if e.number == target), None)
            label = f"extension {target}"
            if ext is None:
                self.write(f"There is no RingCentral extension {target} to ring.")
                return
        else:
            user = self._by_name(target) or self.standin.user_by_email(who.strip())
            if user is None:
                self.write(RING_USAGE)
                return
            ext = state.by_email(user.email)
            if ext is None:
                self.write(f"@{user.name} has no RingCentral extension to ring.")
                return
            label = f"@{user.name}'s extension {ext.number}"
        by = self._by_name(answerer.strip().lstrip("@")) if answerer else None
        if answerer and by is None:
            self.write(RING_USAGE)
            return
        number, _, name = (caller.strip() or "+1 650 555 0142").partition(" (")
        region = self.runtime.forwarding.region
        try:
            e164 = phone.to_e164(number, region)
        except phone.InvalidNumber as exc:  # a caller's number, as the network would carry it
            refused = self.renderer.text(render(number_refused(exc)))  # as Slack would show it
            self.write(f"{refused} {RING_USAGE}")
            return
        self.write(f"(ringing {label} from {phone.display(e164, region)})")
        session = await emulator.phone.ring(ext.id, e164, name.rstrip(")") or "Pat Caller")
        await self.runtime.tasks.wait_idle()
        if by is not None:
            at = await self.runtime.handoffs.number_of(by.id)
            try:
                if at is None:
                    raise ValueError(at)
                await emulator.phone.answer(session.id, by=at)
                self.write(f"(answered by @{by.name} at {phone.display(at, region)})")
            except ValueError:
                self.write(f"(still ringing: {label} doesn't ring @{by.name} now)")
            await self.runtime.tasks.wait_idle()
        screen = Screen()
        await self._render_calls(screen)

    def _escaped(self, text: str) -> str:
        """`@bob` → `<@U…|bob>`, an email → `<mailto:…|…>`, a URL → `<https://…>`."""
        text = _URL.sub(lambda m: f"<{m.group(0)}>", text)
        text = _EMAIL.sub(lambda m: f"<mailto:{m.group(0)}|{m.group(0)}>", text)
        return self._mentions(text)

    def _mentions(self, text: str) -> str:
        def swap(match: re.Match[str]) -> str:
            handle = match.group(1)
            user = self.standin.user_by_email(handle) if "@" in handle else self._by_name(handle)
            return f"<@{user.id}|{user.name}>" if user else match.group(0)

        return _MENTION.sub(swap, text)

    def _by_name(self, name: str) -> SlackUser | None:
        return next((u for u in self.standin.users.values() if u.name.lower() == name.lower()), None)

    def _name_of(self, some_id: str) -> str:
        user = self.standin.users.get(some_id)
        channel = self.standin.channels.get(some_id)
        return user.name if user else channel.name if channel else some_id

    def _local_time(self, timestamp: int) -> str:
        """A date token as Slack shows it to the person typing: in their own time zone."""
        return local_time(datetime.fromtimestamp(timestamp, UTC), self.user.tz, datetime.now(UTC))

    # -- requests and what came back -------------------------------------------------

    async def _post(self, body: bytes, *, json_body: bool = False) -> str | None:
        """Send a signed request and show what came back; returns the ack's response_action."""
        headers = signing.signed_headers(self.secret, body)
        if json_body:
            headers["Content-Type"] = "application/json"
        response = await self.http.post("/slack/events", content=body, headers=headers)
        await self.runtime.tasks.wait_idle()
        screen = Screen()
        action = self._render_ack(response, screen)
        await self._render_calls(screen)
        return action

    def _render_ack(self, response: httpx.Response, screen: Screen) -> str | None:
        if response.status_code != 200:
            screen.lines.append(f"(Slack would show an error: HTTP {response.status_code})")
            return None
        if not response.content:
            return None
        try:
            body = json.loads(response.content)
        except ValueError:
            screen.lines.append(response.text)
            return None
        if isinstance(body, dict) and body.get("response_action") == "errors":
            for field, error in body.get("errors", {}).items():
                screen.lines.append(f"! {field}: {error}")
        elif isinstance(body, dict) and body.get("response_action") in ("update", "push"):
            self.open_view = body.get("view")
        elif isinstance(body, dict):
            self.renderer.message(body, screen)
        return (
            str(body.get("response_action"))
            if isinstance(body, dict) and "response_action" in body
            else None
        )

    async def _render_calls(self, screen: Screen) -> None:
        for call in self.standin.drain():
            if call.method in _MESSAGES:
                to = self._recipient(call.method, call.args)
                if to:
                    screen.lines.append(to)
                self.renderer.message(call.args, screen)
            elif call.method in ("views.open", "views.push", "views.update"):
                opened = (call.result or {}).get("view")  # as stored: id, hash, root_view_id
                self.open_view = opened if isinstance(opened, dict) else call.args["view"]
            elif call.method == "views.publish" and self._home_wanted:
                self.renderer.view(call.args["view"], screen)  # refreshes are shown on :home only
        if self.open_view is not None:
            self.renderer.view(self.open_view, screen)
        self._show(screen)
        view, self.open_view = self.open_view, None
        if view is not None and _inputs(view):
            await self._fill_and_submit(view)
        elif view is not None and view.get("submit"):
            await self._confirm(view)

    def _recipient(self, method: str, args: dict[str, Any]) -> str:
        """Whose screen a message lands on, when it isn't the current user's own."""
        if method == "chat.postEphemeral":
            who = str(args.get("user") or "")
            return "" if who in ("", self.user.id) else f"(to @{self._name_of(who)}, only they see it)"
        channel = str(args.get("channel") or "")
        if channel.startswith("D"):  # the stand-in's DM with user U… is D…
            channel = "U" + channel[1:]
        if method == "response_url" or not channel or channel == self.user.id:
            return ""
        if channel in self.standin.users:
            return f"(to @{self._name_of(channel)}, in their DMs)"
        known = self.standin.channels.get(channel)
        return f"(in #{known.name if known else channel})"

    def _show(self, screen: Screen) -> None:
        if screen.clickables:
            self.clickables = screen.clickables
        for line in screen.lines:
            self.write(line)

    async def _confirm(self, view: dict[str, Any]) -> None:
        """A modal with a submit button and nothing to fill: a yes/no question."""
        answer = await self.read(f"  {view['submit']['text']}? (y/n)> ")
        if answer is None or answer.strip().lower() not in ("y", "yes"):
            self.write("(modal closed)")
            return
        await self._submit(view, {})

    async def _submit(
        self, view: dict[str, Any], values: dict[str, Any], typed: dict[str, str] | None = None
    ) -> None:
        stored = self.standin.views.get(str(view.get("id")), view)
        body = payloads.view_submission(
            user_id=self.user.id, user_name=self.user.name, view=stored, values=values
        )
        if await self._post(body) == "errors":
            # Slack keeps the modal open with what was typed: ask again, offering it
            # (https://docs.slack.dev/reference/views/modal-views, "Preserving input entry")
            await self._fill_and_submit(view, typed)

    async def _fill_and_submit(self, view: dict[str, Any], typed: dict[str, str] | None = None) -> None:
        values: dict[str, Any] = {}
        answers: dict[str, str] = {}
        for block in _inputs(view):
            element = block["element"]
            initial = (typed or {}).get(block["block_id"]) or self._initial(element)
            shown = f" [{initial}]" if initial else ""
            answer = await self.read(f"  {block.get('label', {}).get('text', 'value')}{shown}> ")
            if answer is None or answer.strip() == ":cancel":
                self.write("(modal closed)")
                return
            answers[block["block_id"]] = answer.strip() or initial  # empty keeps the value shown
            values[block["block_id"]] = {
                element["action_id"]: self._value(element, answers[block["block_id"]])
            }
        await self._submit(view, values, answers)

    def _initial(self, element: dict[str, Any]) -> str:
        """What an input holds when the modal opens, as the shell's prompts take it back."""
        if element.get("initial_users"):
            return " ".join("@" + self._name_of(u) for u in element["initial_users"])
        if element.get("initial_user"):
            return "@" + self._name_of(str(element["initial_user"]))
        if element.get("initial_conversation"):
            return "#" + self._name_of(str(element["initial_conversation"]))
        option = (element.get("initial_option") or {}).get("text", {}).get("text")
        return str(element.get("initial_value") or option or "")

    def _channel_id(self, answer: str) -> str:
        """`#support`, `support` or an id → a channel id. Slack's picker offers only channels
        that exist; in the shell's workspace any public channel named exists (made on first use).
        https://api.slack.com/reference/block-kit/block-elements#conversations_select"""
        name = answer.strip().lstrip("#").lower()
        if not name:
            return payloads.SHELL_CHANNEL  # default_to_current_conversation: where it was typed
        for channel in self.standin.channels.values():
            if name in (channel.name.lower(), channel.id.lower()):
                return channel.id
        if re.fullmatch(r"[cg][a-z0-9]{8,}", name):  # an id typed as Slack shows them
            return name.upper()
        made = Channel("C0" + re.sub(r"[^A-Z0-9]", "", name.upper())[:9], name)
        self.standin.add_channel(made)
        return made.id

    def _user_ids(self, answer: str) -> list[str]:
        """`@bob @carol`, `bob carol` or emails typed at a prompt → Slack user ids, in order
        (a word that names nobody is left out, as Slack's picker offers only real people)."""
        words = [w if w.startswith("@") or "@" in w else f"@{w}" for w in answer.split()]
        return _ids_in(self._mentions(" ".join(words)))

    def _value(self, element: dict[str, Any], answer: str) -> dict[str, Any]:
        kind = element.get("type")
        if kind == "users_select":
            found = self._user_ids(answer)
            return {"type": kind, "selected_user": found[0] if found else ""}
        if kind == "multi_users_select":
            return {"type": kind, "selected_users": self._user_ids(answer)}
        if kind == "conversations_select":
            return {"type": kind, "selected_conversation": self._channel_id(answer)}
        if kind in ("static_select", "radio_buttons"):
            options = element.get("options", [])
            chosen = next((o for o in options if o["text"]["text"].lower() == answer.lower()), None)
            if chosen is None and answer.isdigit() and 1 <= int(answer) <= len(options):
                chosen = options[int(answer) - 1]
            starting = [o for o in options if o["text"]["text"].lower().startswith(answer.lower())]
            if chosen is None and answer and len(starting) == 1:  # "Mobile" for "Mobile (415) …"
                chosen = starting[0]
            return {"type": kind, "selected_option": chosen}
        return {"type": kind or "plain_text_input", "value": answer}


def _ids_in(text: str) -> list[str]:
    return re.findall(r"<@([A-Z0-9]+)", text)


def _inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view.get("blocks", []) if b.get("type") == "input" and "block_id" in b]
