"""Delivering the outbox: exactly-once where Telegram allows it, never a blind retry.

Each row is claimed (state `sending`, committed) the moment its request leaves — after
pacing, not while it waits in the rate limiter — and marked `sent` after Telegram answers.
So a crash or a stop can leave uncertain only the requests truly out; rows still waiting
stay `pending` and go out once later. Failures are sorted by whether the request could
have reached Telegram: if not, retry with backoff; if it might have (a read timeout, a
crash, a stop that outlasted the grace period), the row becomes `uncertain`, is never sent
again, and the admins are told once, one alert per notice listing the chats.

The attempt at one row and how it is sorted are bot/telegram/attempt.py, what each outcome
records bot/telegram/outcomes.py, what the admins are told bot/telegram/delivery_alerts.py;
this module holds the loop that drains the outbox, one task per chat, and its start and stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from bot.clock import Clock
from bot.telegram import attempt
from bot.telegram.buttons import ButtonSigner
from bot.telegram.delivery_alerts import UncertainReports
from storage import outbox
from storage.db import DatabaseBusy, run_transaction, transaction

if TYPE_CHECKING:
    from telegram.ext import ExtBot

    from bot.services import Services

log = logging.getLogger(__name__)

# How long a claim waits for a database another process holds, and the pause after.
BUSY_WAIT, BUSY_PAUSE = 5.0, 1.0
STOP_GRACE = 3.0  # seconds that requests already out get to finish when the bot stops


class Delivery:
    """The background task that drains the outbox."""

    def __init__(
        self,
        db: Database,
        bot: ExtBot[Any],
        clock: Clock,
        signer: ButtonSigner,
    ) -> None:
        self.db = db
        self.bot = bot
        self.paced = bot.rate_limiter is not None
        self.clock = clock
        self.signer = signer
        self.services: Services | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._chat_tasks: dict[int, asyncio.Task[None]] = {}
        self.out: set[int] = set()  # chats with a request out right now
        self.stopping = False
        self.reports = UncertainReports(self)
        self._background: set[asyncio.Future[object]] = set()

    def attach(self, services: Services) -> None:
        """Bind to the running services (for alerts in each admin's language)."""
        self.services = services

    def start(self) -> None:
        """Recover from a crash, report what may have been lost, and start draining."""
        with transaction(self.db):
            recovered = outbox.recover_after_crash(self.db)
            self.reports.report()
        if recovered:
            log.warning(
                "%d messages were out when the bot last stopped: uncertain, admins told",
                recovered,
            )
        self._task = asyncio.create_task(self._run(), name="coordbot-delivery")
        self.kick()

    def later(self, work: Coroutine[Any, Any, object]) -> None:
        """Run a database write in the background (kept referenced until it is done)."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def kick(self) -> None:
        """Wake the loop: new rows were committed."""
        self._wake.set()

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Take no new rows, give requests already out `grace` seconds, leave the rest pending.

        Must run while python-telegram-bot's HTTP client is still open (post_stop)."""
        if self.stopping:
            return
        self.stopping = True
        self.reports.cancel()
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        tasks = dict(self._chat_tasks)
        for chat_id, task in tasks.items():
            if chat_id not in self.out:
                task.cancel()  # only waiting for its turn: the row stays pending
        if tasks:
            _, late = await asyncio.wait(tasks.values(), timeout=grace)
            for task in late:
                task.cancel()  # out too long: the row becomes uncertain (see attempt.send)
            await asyncio.gather(*tasks.values(), return_exceptions=True)
        with contextlib.suppress(DatabaseBusy):
            await run_transaction(self.db, self.reports.report, wait=BUSY_WAIT)

    async def _run(self) -> None:
        # Checked each round, not only cancelled: Python 3.11's wait_for swallows a
        # cancellation that lands as the event is set (a chat task finishing at the stop),
        # and the loop then ran on while stop() waited for it: a bot that never exited.
        while not self.stopping:
            self._wake.clear()
            # One task per chat keeps each chat's order and lets chats wait independently.
            for chat_id in outbox.chats_with_due(self.db, self.clock.now()):
                if chat_id not in self._chat_tasks:
                    task = asyncio.create_task(self._send_chat(chat_id))
                    self._chat_tasks[chat_id] = task
                    task.add_done_callback(partial(self._done, chat_id))
            timeout = self._next_wait()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):  # passes a cancellation on, always
                    await self._wake.wait()

    def _done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._chat_tasks.pop(chat_id, None)
        self._wake.set()

    def _next_wait(self) -> float:
        nxt = outbox.next_due_at(self.db)
        if nxt is None:
            return 60.0
        return max(0.05, min(60.0, (nxt - self.clock.now()).total_seconds()))

    async def _send_chat(self, chat_id: int) -> None:
        """Send this chat's due rows one after another (order kept within a chat)."""
        while not self.stopping:
            rows = outbox.due_for_chat(self.db, chat_id, self.clock.now())
            if not rows:
                return
            for row in rows:
                if self.stopping:
                    return
                try:
                    await attempt.send(self, row)
                except DatabaseBusy:
                    # The row was not claimed: it stays pending and the loop comes back.
                    log.warning("database busy: delivery to chat %s waits", chat_id)
                    await asyncio.sleep(BUSY_PAUSE)
                    return
