"""The VoipNow UnifiedAPI emulator (ASGI, state in memory)."""

from bot.devkit.voipnow.app import VoipNowEmulator, build_emulator
from bot.devkit.voipnow.state import VoipNowState

__all__ = ["VoipNowEmulator", "VoipNowState", "build_emulator"]
