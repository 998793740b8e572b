"""The RingCentral emulator: an ASGI app at the platform's real paths, state in memory."""

from bot.devkit.ringcentral.app import build_emulator
from bot.devkit.ringcentral.state import EmulatorState

__all__ = ["EmulatorState", "build_emulator"]
