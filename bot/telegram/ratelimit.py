"""Outbound pacing: python-telegram-bot's AIORateLimiter plus a per-private-chat limit.

AIORateLimiter paces the overall rate and each group; Telegram also asks for no more than
about one message a second into one private chat, which it does not cover. And where
AIORateLimiter answers a 429 by pausing every request, here only the request that got it
waits: one group's flood wait must not stall the other chats.

A caller that must know when its request really leaves (the outbox claims a row only
then) passes a `Departure` as `rate_limit_args`: python-telegram-bot hands it from the Bot
method call to process_request, and `leave()` is called after all pacing, immediately
before the HTTP request; `back()` when a 429 sends it back to wait again.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, runtime_checkable

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

# A margin over Telegram's figures absorbs jitter between our clock and the server's: 31
# sends inside one second would need 30 periods (1.04 s) squeezed by 40 ms in transit.
PACING_MARGIN = 1.04
PRIVATE_CHATS_TRACKED = 10_000


class _QuietFinalRetry(logging.Filter):
    """Drop AIORateLimiter's error log for the 429s it hands back to us to retry per chat."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Rate limit hit after maximum of 0 retries" not in record.getMessage()


Request = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


@runtime_checkable
class Departure(Protocol):
    """Told when a paced request actually leaves, and when a 429 sends it back to wait."""

    def leave(self) -> None:
        """The request has passed pacing and goes out now; raise to keep it back."""

    def back(self) -> None:
        """Telegram answered 429 (so the request was not taken); it waits and goes again."""


def _announced(callback: Request, departure: Departure) -> Request:
    async def leave_then_send(*args: Any, **kwargs: Any) -> bool | JSONDict | list[JSONDict]:
        departure.leave()
        return await callback(*args, **kwargs)

    return leave_then_send


class Metronome:
    """One request per period on a fixed timeline (the overall limit).

    aiolimiter's bucket starts each period when the previous waiter actually woke, so every
    timer overshoot (a fraction of a millisecond, more on a busy machine) was added to the
    period: 400 messages took 2 % longer than the pacing asked. Here the next slot follows
    the previous slot, not the wake-up; a request later than a whole period (the line was
    idle, or the loop held up) restarts the timeline from now, so a delay is never made
    up by a burst. Waiters go in arrival order.
    """

    def __init__(self, period: float) -> None:
        self._period = period
        self._next = float("-inf")  # loop time of the next free slot
        self._turn = asyncio.Lock()

    async def __aenter__(self) -> None:
        async with self._turn:
            loop = asyncio.get_running_loop()
            now = loop.time()
            if self._next > now:
                await asyncio.sleep(self._next - now)
                now = loop.time()
            late = now - self._next
            self._next = (self._next if late < self._period else now) + self._period

    async def __aexit__(self, *exc: object) -> None:
        return None


class CoordRateLimiter(AIORateLimiter):
    """Strict pacing overall, per group and per private chat, scaled from messages a second."""

    def __init__(self, rate: float, max_retries: int = 3) -> None:
        scale = rate / 30
        # One token at a time: aiolimiter's bucket would otherwise allow a full burst on
        # top of the steady drip, which exceeds Telegram's sliding windows.
        super().__init__(
            overall_max_rate=1,
            overall_time_period=PACING_MARGIN / rate,
            group_max_rate=1,
            group_time_period=3 * PACING_MARGIN / scale,
            max_retries=0,
        )
        if not isinstance(getattr(self, "_base_limiter", None), AsyncLimiter):
            raise RuntimeError("python-telegram-bot's AIORateLimiter changed: no _base_limiter")
        self._base_limiter = Metronome(PACING_MARGIN / rate)  # type: ignore[assignment]
        self._own_retries = max_retries
        logging.getLogger("telegram.ext.AIORateLimiter").addFilter(_QuietFinalRetry())
        self._private_period = PACING_MARGIN / scale
        self._private: OrderedDict[int, AsyncLimiter] = OrderedDict()

    def _private_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._private.pop(chat_id, None) or AsyncLimiter(1, self._private_period)
        self._private[chat_id] = limiter
        if len(self._private) > PRIVATE_CHATS_TRACKED:
            self._private.popitem(last=False)
        return limiter

    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | Departure | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Pace the request (private chat, group, overall); on a 429 only this request waits.

        A `Departure` given as rate_limit_args is told when the request leaves and when it
        comes back with a 429."""
        departure: Departure | None = None
        retries: int | None = None
        if isinstance(rate_limit_args, Departure):
            departure = rate_limit_args
            callback = _announced(callback, departure)
        else:
            retries = rate_limit_args
        for attempt in range(self._own_retries + 1):
            try:
                return await self._paced(callback, args, kwargs, endpoint, data, retries)
            except RetryAfter as exc:
                if attempt == self._own_retries:
                    raise
                if departure is not None:
                    departure.back()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # PTB 22: retry_after becomes a timedelta
                    after = exc.retry_after
                await asyncio.sleep(
                    (after if isinstance(after, int | float) else after.total_seconds()) + 0.1
                )
        raise AssertionError("unreachable")

    async def _paced(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = data.get("chat_id")
        try:
            private = chat_id is not None and int(chat_id) > 0
        except (TypeError, ValueError):
            private = False
        run = super().process_request
        if private and endpoint.startswith("send"):
            async with self._private_limiter(int(chat_id)):  # type: ignore[arg-type]
                return await run(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await run(callback, args, kwargs, endpoint, data, rate_limit_args)
