"""The SMSPartner emulator: POST /v1/vn/callforward with the documented codes."""

from bot.devkit.smspartner.app import SmsPartnerEmulator, VirtualNumber, build_emulator

__all__ = ["SmsPartnerEmulator", "VirtualNumber", "build_emulator"]
