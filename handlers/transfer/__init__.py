"""/transfer: move a live call to a number, a colleague or voicemail."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.transfer import modal
from handlers.transfer.commands import TransferCommand


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.command("/transfer")(TransferCommand(runtime).handle)
    modal.register(app, runtime)
