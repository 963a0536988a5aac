"""getUpdates failures: one log line each and a short, capped backoff.

python-telegram-bot's polling loop logs a full traceback for every failed getUpdates and
backs off up to 30 s, so after Telegram answered 5xx (or 409) for a while the bot caught up
only half a minute after Telegram recovered. The loop retries a TimedOut at once and logs it
at debug level only; so the HTTP client used for getUpdates (ApplicationBuilder's
get_updates_request, used for nothing else) waits its own backoff — 0.5, 1, 2, 3, 3 ... s —
logs one line, and raises TimedOut. The failure count also tells the app when Telegram keeps
answering 409 (another copy of the bot polling with the same token, or a webhook set).
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.transport import AiohttpRequest

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

log = logging.getLogger(__name__)
OnFailure = Callable[[int | None, str, int], None]  # (HTTP status or None, reason, count)


def _reason(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("description", ""))[:200]
    except (ValueError, AttributeError):
        return ""


class PollingRequest(AiohttpRequest):
    """The HTTP client for getUpdates, with capped backoff and one line per failure."""

    def __init__(
        self,
        max_backoff: float = 3.0,
        tls: ssl.SSLContext | None = None,
        proxy: str | None = None,
    ) -> None:
        super().__init__(connection_pool_size=1, tls=tls, proxy=proxy)
        self.max_backoff = max_backoff
        self.failures = 0
        self.on_failure: OnFailure | None = None
        self.last_ok: float | None = None  # time.monotonic() of the last answered poll

    def backoff(self) -> float:
        """The wait before the next poll after `failures` failures in a row."""
        return min(self.max_backoff, 0.5 * 2 ** (self.failures - 1))

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
        """One getUpdates; a failure waits the backoff here and is passed on as TimedOut."""
        status: int | None
        try:
            status, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        except TimedOut:
            raise  # a long poll outlasting its read timeout: retried at once, as before
        except NetworkError as exc:  # no connection
            status, reason = None, str(exc)
        else:
            if status != 409 and status < 500:
                self.last_ok = time.monotonic()
                if self.failures:
                    log.info("getUpdates works again after %d failures", self.failures)
                    self.failures = 0
                return status, payload
            reason = _reason(payload)
        if not (request_data is not None and request_data.parameters.get("timeout")):
            # The last, short poll at shutdown: never wait there.
            raise NetworkError(f"getUpdates failed: {status} {reason}")
        self.failures += 1
        delay = self.backoff()
        log.warning(
            "getUpdates failed (%s %s); %d in a row, next poll in %.1f s",
            status or "no connection:",
            reason,
            self.failures,
            delay,
        )
        if self.on_failure is not None:
            self.on_failure(status, reason, self.failures)
        await asyncio.sleep(delay)
        raise TimedOut(f"getUpdates failed: {status} {reason}")
