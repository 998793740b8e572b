"""/forward: forwarding numbers from slash commands, the modal and the App Home."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.forward import home_section, modal, switch
from handlers.forward.commands import ForwardCommand
from handlers.shared.home_page import home_page


def register(app: AsyncApp, runtime: Runtime) -> None:
    home_page(runtime).add(home_section.ORDER, home_section.numbers_section)
    app.command("/forward")(ForwardCommand(runtime).handle)
    modal.register(app, runtime)
    modal.register_retry(app, runtime)
    switch.register(app, runtime)
