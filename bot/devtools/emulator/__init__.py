"""Local Telegram Bot API emulator for testing coordbot against the real PTB stack."""

from .client import EmulatorClient
from .driver import Emulator
from .state import ApiError, CallRecord

__all__ = ["ApiError", "CallRecord", "Emulator", "EmulatorClient"]
