"""Delivering the outbox: exactly-once where Telegram allows it, never a blind retry.

Each row is claimed (state `sending`, committed) before the request goes out and marked
`sent` after Telegram answers. Failures are sorted by whether the request could have
reached Telegram: if not, retry with backoff; if it might have (a read timeout), the row
becomes `uncertain` and the admins are told instead of sending it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

import httpx
from sqlite_utils import Database
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.buttons import ButtonSigner, keyboard
from bot.clock import Clock
from bot.fanout import to_admins
from bot.i18n import N_, Tr
from bot.render.text import esc
from storage import chats, outbox
from storage.db import DatabaseBusy, run_transaction, transaction
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long a claim waits for a database another process holds, and the pause after.
BUSY_WAIT, BUSY_PAUSE = 5.0, 1.0
BACKOFF = (1, 2, 4, 8, 16)
STATE_NAMES = {
    "uncertain": N_("uncertain: it may have arrived, so it was not sent again"),
    "failed": N_("failed after retries"),
    "suspended": N_("the bot was removed or blocked; deliveries to that chat are suspended"),
}


def reached_server(exc: TimedOut) -> bool:
    """Whether a timed-out request may have reached Telegram (so may have been delivered)."""
    cause = exc.__cause__
    return not isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)


class Delivery:
    """The background task that drains the outbox."""

    def __init__(
        self,
        db: Database,
        bot: Bot,
        clock: Clock,
        signer: ButtonSigner,
    ) -> None:
        self._db = db
        self._bot = bot
        self._clock = clock
        self._signer = signer
        self._services: Services | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}

    def attach(self, services: Services) -> None:
        """Bind to the running services (for alerts in each admin's language)."""
        self._services = services

    def start(self) -> None:
        """Recover from a crash and start draining."""
        with transaction(self._db):
            recovered = outbox.recover_after_crash(self._db)
        if recovered:
            log.warning("%d messages were mid-send at the last stop: marked uncertain", recovered)
        self._task = asyncio.create_task(self._run(), name="coordbot-delivery")
        self.kick()

    def kick(self) -> None:
        """Wake the loop: new rows were committed."""
        self._wake.set()

    async def stop(self) -> None:
        """Let in-flight sends finish, then stop."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._in_flight:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            # One task per chat keeps each chat's order and lets chats wait independently.
            for chat_id in outbox.chats_with_due(self._db, self._clock.now()):
                if chat_id not in self._in_flight:
                    task = asyncio.create_task(self._send_chat(chat_id))
                    self._in_flight[chat_id] = task
                    task.add_done_callback(partial(self._done, chat_id))
            timeout = self._next_wait()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    def _done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(chat_id, None)
        self._wake.set()

    def _next_wait(self) -> float:
        nxt = outbox.next_due_at(self._db)
        if nxt is None:
            return 60.0
        return max(0.05, min(60.0, (nxt - self._clock.now()).total_seconds()))

    async def _send_chat(self, chat_id: int) -> None:
        """Send this chat's due rows one after another (order kept within a chat)."""
        while True:
            rows = outbox.due_for_chat(self._db, chat_id, self._clock.now())
            if not rows:
                return
            for row in rows:
                try:
                    await self.send(row)
                except DatabaseBusy:
                    # The row was not claimed: it stays pending and the loop comes back.
                    log.warning("database busy: delivery to chat %s waits", chat_id)
                    await asyncio.sleep(BUSY_PAUSE)
                    return

    async def send(self, row: OutMessage) -> None:
        """One attempt at one row, recording the state before and after."""
        db = self._db
        # Every write here waits out another process holding the database without blocking
        # the loop; the claim gives up after a bound (nothing sent), the record of what
        # happened to a request that left never does.
        if not await run_transaction(db, lambda: outbox.mark_sending(db, row.id), wait=BUSY_WAIT):
            return
        try:
            sent = await self._bot.send_message(
                row.chat_id, row.text, reply_markup=keyboard(self._signer, row.buttons)
            )
        except RetryAfter as exc:
            with warnings.catch_warnings():
                # PTB 22 warns that retry_after becomes a timedelta; both forms are handled.
                warnings.simplefilter("ignore")
                after = exc.retry_after
            delay = after if isinstance(after, int | float) else after.total_seconds()
            await self._retry(row, delay, f"429 retry after {delay}", count_attempt=False)
        except ChatMigrated as exc:
            await self._migrated(row, exc.new_chat_id)
        except Forbidden as exc:
            await self._forbidden(row, str(exc))
        except TimedOut as exc:
            if reached_server(exc):
                await self._give_up(row, "uncertain", f"timed out after sending: {exc}")
            else:
                await self._retry(row, None, f"connect timeout: {exc}")
        except BadRequest as exc:
            await self._give_up(row, "failed", f"bad request: {exc}")
        except NetworkError as exc:
            # 5xx answers and refused connections: Telegram did not take the message.
            await self._retry(row, None, f"network error: {exc}")
        except Exception as exc:  # noqa: BLE001 - the row must never stay 'sending'
            log.exception("unexpected error sending outbox row %s", row.id)
            await self._give_up(row, "uncertain", f"unexpected: {exc!r}")
        else:
            await self._write(
                lambda: outbox.mark_sent(db, row.id, sent.message_id, self._clock.now())
            )

    async def _write(self, work: Callable[[], object]) -> None:
        """Record an outcome, however long another process holds the database."""
        await run_transaction(self._db, work, wait=None)

    async def _retry(
        self, row: OutMessage, delay: float | None, error: str, count_attempt: bool = True
    ) -> None:
        attempts = row.attempts + 1
        if count_attempt and attempts >= MAX_ATTEMPTS:
            await self._give_up(row, "failed", f"{error} (after {attempts} attempts)")
            return
        wait = delay if delay is not None else BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
        at = self._clock.now() + timedelta(seconds=wait)
        # A 429 is Telegram's pacing, not a failure: it does not use up an attempt.
        await self._write(
            lambda: outbox.retry_at(self._db, row.id, at, error, refund_attempt=not count_attempt)
        )

    async def _give_up(self, row: OutMessage, state: outbox.State, error: str) -> None:
        log.warning("outbox row %s (%s to %s) %s: %s", row.id, row.kind, row.chat_id, state, error)

        def work() -> None:
            outbox.mark(self._db, row.id, state, error)
            if row.kind != "alert":
                self._alert_admins(row, state, error)

        await self._write(work)

    async def _forbidden(self, row: OutMessage, error: str) -> None:
        def work() -> None:
            now = self._clock.now()
            outbox.mark(self._db, row.id, "suspended", error)
            outbox.suspend_chat(self._db, row.chat_id, error)
            first = chats.suspend(self._db, row.chat_id, error, now)
            if first and row.kind != "alert":
                self._alert_admins(row, "suspended", error)

        await self._write(work)

    async def _migrated(self, row: OutMessage, new_chat_id: int) -> None:
        def work() -> None:
            now = self._clock.now()
            chats.migrate_chat(self._db, row.chat_id, new_chat_id, now)
            outbox.redirect(self._db, row.chat_id, new_chat_id)
            outbox.retry_at(self._db, row.id, now, f"migrated to {new_chat_id}")

        await self._write(work)
        self.kick()

    def _alert_admins(self, row: OutMessage, state: str, error: str) -> None:
        # Alerts go through the outbox too, so they obey the same exactly-once rules.
        if self._services is None:
            return

        def render(tr: Tr) -> str:
            return tr(
                "⚠️ A {kind} message to chat {chat} was not delivered ({state}): {error}",
                kind=esc(row.kind),
                chat=row.chat_id,
                state=tr(STATE_NAMES.get(state, state)),
                error=esc(error[:500]),
            )

        to_admins(self._services, f"alert:{row.id}:{state}", "alert", render, self._clock.now())
        self.kick()
