"""Signed callback data, so a crafted button press cannot act on anything."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

CALLBACK_LIMIT = 64


class ButtonSigner:
    """Signs and checks `action:payload` strings with a per-database secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sig(self, body: str) -> str:
        digest = hmac.new(self._secret, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:9]).decode()

    def sign(self, action: str, payload: str) -> str:
        """Callback data for a button; raises ValueError past Telegram's 64 bytes."""
        body = f"{action}:{payload}"
        data = f"{body}:{self._sig(body)}"
        if len(data.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {body!r}")
        return data

    def verify(self, data: str) -> tuple[str, str] | None:
        """(action, payload) when the signature matches, else None."""
        if len(data.encode()) > CALLBACK_LIMIT:
            return None
        body, _, sig = data.rpartition(":")
        action, sep, payload = body.partition(":")
        if not sep or not hmac.compare_digest(sig, self._sig(body)):
            return None
        return action, payload


def _field(button: Any, name: str) -> str:
    return str(button[name] if isinstance(button, dict) else getattr(button, name))


def _button(signer: ButtonSigner, b: Any) -> InlineKeyboardButton:
    web_app = b.get("web_app") if isinstance(b, dict) else getattr(b, "web_app", "")
    if web_app:  # opens a Mini App; nothing to call back
        return InlineKeyboardButton(_field(b, "text"), web_app=WebAppInfo(str(web_app)))
    return InlineKeyboardButton(
        _field(b, "text"), callback_data=signer.sign(_field(b, "action"), _field(b, "payload"))
    )


def keyboard(signer: ButtonSigner, rows: list[list[Any]] | None) -> InlineKeyboardMarkup | None:
    """A signed inline keyboard from Button objects or their stored dict form."""
    if not rows:
        return None
    return InlineKeyboardMarkup([[_button(signer, b) for b in row] for row in rows])
