"""The VoipNow UnifiedAPI emulator (ASGI, state in memory)."""

from bot.providers.voipnow.emulator.app import VoipNowEmulator, build_emulator
from bot.providers.voipnow.emulator.state import VoipNowState

__all__ = ["VoipNowEmulator", "VoipNowState", "build_emulator"]
