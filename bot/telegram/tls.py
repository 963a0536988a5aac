"""One TLS context for both of the bot's HTTP clients (getUpdates and everything else).

httpx builds a context per client and loads the whole CA bundle into each, ~40 ms apiece
of every start. Both clients now share one; and against a plain-HTTP Bot API (the
emulator, a local Bot API server) no TLS is ever spoken, so no bundle is loaded at all.
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
