"""The bot's HTTP client for the Bot API: python-telegram-bot's request interface on aiohttp.

python-telegram-bot's default client (HTTPXRequest) spent ~0.65 ms of CPU on each request
on this machine and aiohttp ~0.21 ms (one POST of a 300-character message, answered
locally). Every update costs a getUpdates and a reply, so that difference was most of what
a command cost beyond its own transaction (README, Performance). aiohttp is already here for
the web pages and the emulator.

Parameters go as a JSON body, which the Bot API takes for every method but uploads (PTB's
client form-encodes them: ~90 µs for an 800-character Chinese reply, percent-encoding it a
byte at a time in Python, against ~7 µs for json.dumps); with files, as multipart exactly as
PTB sends it. Errors map as HTTPXRequest maps them: a timeout is TimedOut, any other failure
NetworkError. `reached_server` tells delivery whether a timed-out request may have arrived.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

_JSON = {"Content-Type": "application/json"}
_NOT_SENT = (
    "Connect timeout: no connection to the Bot API (or none free in the pool) in time; "
    "the request was *not* sent."
)


def proxy_for(api_url: str, configured: str = "") -> str | None:
    """The proxy to reach the Bot API through: the configured one, else the environment's.

    python-telegram-bot's httpx client honoured HTTPS_PROXY / HTTP_PROXY / NO_PROXY (how a
    bot in mainland China usually reaches Telegram); aiohttp would only with trust_env, which
    reads the environment and ~/.netrc again at every request. So it is read once, here.
    """
    if configured:
        return configured
    parts = urlsplit(api_url)
    host = parts.hostname
    # A Bot API on this machine (the emulator, a local Bot API server) is never proxied,
    # even when NO_PROXY forgets it (machines with a proxy set for downloads).
    if host is None or _loopback(host) or proxy_bypass(host):
        return None
    return getproxies().get(parts.scheme)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def reached_server(exc: TimedOut) -> bool:
    """Whether a timed-out request may have reached Telegram (so may have been delivered)."""
    # Only a connect timeout (which covers waiting for a free pooled connection) is sure
    # to have been before any byte left; a read timeout came after the request was sent.
    return not isinstance(exc.__cause__, aiohttp.ConnectionTimeoutError)


def _html5(filename: str | None) -> str | None:
    # A file name goes as browsers and PTB's httpx client send it: raw UTF-8 with `"` and
    # control characters as %XX (aiohttp would percent-encode every non-ASCII character, and
    # Telegram would then show a Chinese name as %-codes). aiohttp escapes the backslash.
    if filename is None:
        return None
    return filename.translate(_HTML5_ESCAPES)


_HTML5_ESCAPES = {ord('"'): "%22"} | {c: f"%{c:02X}" for c in range(0x20) if c != 0x1B}


class AiohttpRequest(BaseRequest):
    """A pooled aiohttp session behind python-telegram-bot's BaseRequest."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        tls: ssl.SSLContext | None = None,
        proxy: str | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._proxy = proxy
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._tls = tls
        self._session: aiohttp.ClientSession | None = None
        self._timeout = self._timeouts(read_timeout, write_timeout, connect_timeout, pool_timeout)

    @property
    def proxy(self) -> str | None:
        """The proxy requests go through, if any."""
        return self._proxy

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (and its connection pool) on the running loop."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, limit_per_host=0, ssl=self._tls or True
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=self._timeout,
                headers={"User-Agent": self.USER_AGENT},
                # Nothing here is cookie-based; skipping the jar saves work per request.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    @staticmethod
    def _timeouts(
        read: float | None, write: float | None, connect: float | None, pool: float | None
    ) -> aiohttp.ClientTimeout:
        # aiohttp's `connect` covers waiting for a pooled connection plus connecting;
        # `sock_read` is the longest silence while the answer is awaited. aiohttp has no
        # write timeout: the whole request is bounded instead, by the sum of all four.
        parts = (read, write, connect, pool)
        total = None if None in parts else sum(p for p in parts if p is not None)
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect, sock_read=read
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API request; return the HTTP status and the body."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        chosen = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        timeout = self._timeout  # (aiohttp reads timeout=None as no timeout at all)
        if files or not all(isinstance(t, DefaultValue) for t in chosen):
            timeout = self._timeouts(
                self._pick(read_timeout, self._read),
                self._pick(write_timeout, self._media_write if files else self._write),
                self._pick(connect_timeout, self._connect),
                self._pick(pool_timeout, self._pool),
            )
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if request_data is not None:
            if files:
                body = self._multipart(request_data)
            else:
                # `parameters` keeps nested values (reply_markup, link_preview_options) as
                # objects, as a JSON body carries them; PTB's json_parameters are strings.
                body = json.dumps(request_data.parameters).encode()
                headers = _JSON
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout, proxy=self._proxy
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut(message=_NOT_SENT) from err
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    @staticmethod
    def _pick(value: ODVInput[float], default: float | None) -> float | None:
        return default if isinstance(value, DefaultValue) else value

    @staticmethod
    def _multipart(request_data: RequestData) -> aiohttp.FormData:
        form = aiohttp.FormData(quote_fields=False)
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, field in request_data.multipart_data.items():
            filename, content, *rest = field
            mimetype = rest[0] if rest else None
            form.add_field(name, content, filename=_html5(filename), content_type=mimetype)
        return form
