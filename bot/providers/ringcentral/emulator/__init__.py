"""The RingCentral emulator: an ASGI app at the platform's real paths, state in memory."""

from bot.providers.ringcentral.emulator.app import build_emulator
from bot.providers.ringcentral.emulator.state import EmulatorState

__all__ = ["EmulatorState", "build_emulator"]
