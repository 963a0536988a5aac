"""Files every bot start reads again, read once per test process instead.

Building an Application reads the Chinese catalogs (~20 ms) and gives each of
python-telegram-bot's two HTTP clients a TLS context loaded from certifi's bundle (~25 ms
each, unused over the emulator's plain HTTP): ~70 ms of CPU per bot, and the suite starts a
few hundred. Production starts once, so the bot itself has no reason to cache them.
"""

from __future__ import annotations

import functools
import ssl
from pathlib import Path
from typing import Any

from httpx._transports import default as httpx_transport

from bot import i18n

_read_catalog = i18n.read_catalog
_create_ssl_context = httpx_transport.create_ssl_context


@functools.cache
def _shipped_catalog(lang: str) -> i18n.Catalog:
    return _read_catalog(lang, i18n.LOCALES_DIR)


def read_catalog(lang: str, directory: Path = i18n.LOCALES_DIR) -> i18n.Catalog:
    """bot.i18n.read_catalog, the shipped catalogs parsed once (others read each time)."""
    if directory == i18n.LOCALES_DIR:
        return _shipped_catalog(lang)
    return _read_catalog(lang, directory)


@functools.cache
def _default_tls() -> ssl.SSLContext:
    return _create_ssl_context()


def create_ssl_context(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
    """httpx's create_ssl_context, the default context built once and shared (as a context
    may be) by every client; any other arguments build a new one as before."""
    if verify is True and cert is None and trust_env:
        return _default_tls()
    return _create_ssl_context(verify=verify, cert=cert, trust_env=trust_env)


PATCHES = (
    (i18n, "read_catalog", read_catalog),
    (httpx_transport, "create_ssl_context", create_ssl_context),
)
