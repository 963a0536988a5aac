"""One TLS context for both of the bot's HTTP clients (getUpdates and everything else).

Loading a CA bundle costs ~20-40 ms of every start, so both clients (bot/telegram/transport.py)
share one context, verifying with certifi's bundle as python-telegram-bot's own client does;
against a plain-HTTP Bot API (the emulator, a local Bot API server) no TLS is ever spoken,
so no bundle is loaded at all.
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

import httpx


def tls_context(api_url: str) -> ssl.SSLContext:
    """The context to verify the Bot API with, built as httpx builds its default one."""
    if urlsplit(api_url).scheme == "http":
        # Never used for http://; with no CA loaded it would refuse any HTTPS peer rather
        # than trust it (verification stays on).
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return httpx.create_ssl_context()
