"""Delivering the outbox: exactly-once where Telegram allows it, never a blind retry.

Each row is claimed (state `sending`, committed) the moment its request leaves — after
pacing, not while it waits in the rate limiter — and marked `sent` after Telegram answers.
So a crash or a stop can leave uncertain only the requests truly out; rows still waiting
stay `pending` and go out once later. Failures are sorted by whether the request could
have reached Telegram: if not, retry with backoff; if it might have (a read timeout, a
crash, a stop that outlasted the grace period), the row becomes `uncertain`, is never sent
again, and the admins are told once, one alert per notice listing the chats.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from telegram import Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import Clock
from bot.i18n import N_, Tr
from bot.render.text import esc
from bot.services import notify
from bot.telegram.buttons import ButtonSigner, keyboard
from bot.telegram.transport import reached_server
from bot.telegram.uncertain import report_uncertain
from storage import chats, outbox
from storage.db import DatabaseBusy, is_busy, run_transaction, transaction
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from telegram.ext import ExtBot

    from bot.services import Services

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# How long a claim waits for a database another process holds, and the pause after.
BUSY_WAIT, BUSY_PAUSE = 5.0, 1.0
BACKOFF = (1, 2, 4, 8, 16)
STOP_GRACE = 3.0  # seconds that requests already out get to finish when the bot stops
REPORT_SETTLE = 1.0  # uncertain rows becoming so within this long share one alert
STATE_NAMES = {
    "failed": N_("failed after retries"),
    "suspended": N_("the bot was removed or blocked; deliveries to that chat are suspended"),
}


class NotSent(Exception):
    """The request was held back before it left: the bot is stopping, or the row is gone."""


class _Flight:
    """One attempt at one row: claimed in the database at the moment its request leaves."""

    def __init__(self, delivery: Delivery, row: OutMessage) -> None:
        self._delivery = delivery
        self._row = row
        self.out = False  # the request has left and no answer has come back yet

    def leave(self) -> None:
        """Claim the row as its request goes out (called after pacing)."""
        d = self._delivery
        if d.stopping:
            raise NotSent("the bot is stopping")
        try:
            with transaction(d.db):
                claimed = outbox.mark_sending(d.db, self._row.id)
        except Exception as exc:
            if is_busy(exc):  # another process holds the database: not claimed, not sent
                raise DatabaseBusy("claiming an outbox row") from exc
            raise
        if not claimed:
            raise NotSent("no longer pending")
        self.out = True
        d.out.add(self._row.chat_id)

    def back(self) -> None:
        """A 429 sent the request back: Telegram did not take it, so the row is pending."""
        self.landed()
        db = self._delivery.db
        try:
            with transaction(db):
                outbox.release(db, self._row.id)
        except Exception as exc:
            if not is_busy(exc):
                raise
            # Called synchronously by the limiter: record the release as soon as it can be.
            row_id = self._row.id
            release = run_transaction(db, lambda: outbox.release(db, row_id), wait=None)
            self._delivery.later(release)
            raise NotSent("the database is busy; the row goes out later") from exc
        if self._delivery.stopping:
            raise NotSent("the bot is stopping")

    def landed(self) -> None:
        """The request is no longer out."""
        self.out = False
        self._delivery.out.discard(self._row.chat_id)


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
        self._bot = bot
        self._paced = bot.rate_limiter is not None
        self._clock = clock
        self._signer = signer
        self._services: Services | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._chat_tasks: dict[int, asyncio.Task[None]] = {}
        self.out: set[int] = set()  # chats with a request out right now
        self.stopping = False
        self._report_timer: asyncio.TimerHandle | None = None
        self._background: set[asyncio.Future[object]] = set()

    def attach(self, services: Services) -> None:
        """Bind to the running services (for alerts in each admin's language)."""
        self._services = services

    def start(self) -> None:
        """Recover from a crash, report what may have been lost, and start draining."""
        with transaction(self.db):
            recovered = outbox.recover_after_crash(self.db)
            self._report_uncertain()
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
        if self._report_timer is not None:
            self._report_timer.cancel()
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
                task.cancel()  # out too long: the row becomes uncertain (see send)
            await asyncio.gather(*tasks.values(), return_exceptions=True)
        with contextlib.suppress(DatabaseBusy):
            await run_transaction(self.db, self._report_uncertain, wait=BUSY_WAIT)

    async def _run(self) -> None:
        # Checked each round, not only cancelled: Python 3.11's wait_for swallows a
        # cancellation that lands as the event is set (a chat task finishing at the stop),
        # and the loop then ran on while stop() waited for it: a bot that never exited.
        while not self.stopping:
            self._wake.clear()
            # One task per chat keeps each chat's order and lets chats wait independently.
            for chat_id in outbox.chats_with_due(self.db, self._clock.now()):
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
        return max(0.05, min(60.0, (nxt - self._clock.now()).total_seconds()))

    async def _send_chat(self, chat_id: int) -> None:
        """Send this chat's due rows one after another (order kept within a chat)."""
        while not self.stopping:
            rows = outbox.due_for_chat(self.db, chat_id, self._clock.now())
            if not rows:
                return
            for row in rows:
                if self.stopping:
                    return
                try:
                    await self.send(row)
                except DatabaseBusy:
                    # The row was not claimed: it stays pending and the loop comes back.
                    log.warning("database busy: delivery to chat %s waits", chat_id)
                    await asyncio.sleep(BUSY_PAUSE)
                    return

    async def _post(self, row: OutMessage, flight: _Flight) -> int | None:
        """Send the row (or make its edit); the id of the message it landed in."""
        markup = keyboard(self._signer, row.buttons)
        if row.edits is not None:
            return await self._edit(row, markup, flight)
        sent: Message
        if self._paced:
            # The limiter calls flight.leave() once pacing lets the request go.
            sent = await self._bot.send_message(
                row.chat_id, row.text, reply_markup=markup, rate_limit_args=flight
            )
        else:
            flight.leave()
            sent = await self._bot.send_message(row.chat_id, row.text, reply_markup=markup)
        return sent.message_id

    async def _edit(self, row: OutMessage, markup: Any, flight: _Flight) -> int | None:
        """Replace a sent message's text and buttons; an edit that changes nothing is done."""
        try:
            if self._paced:
                await self._bot.edit_message_text(
                    row.text,
                    chat_id=row.chat_id,
                    message_id=row.edits,
                    reply_markup=markup,
                    rate_limit_args=flight,
                )
            else:
                flight.leave()
                await self._bot.edit_message_text(
                    row.text, chat_id=row.chat_id, message_id=row.edits, reply_markup=markup
                )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        return row.edits

    async def send(self, row: OutMessage) -> None:
        """One attempt at one row, recording the state as it leaves and after."""
        flight = _Flight(self, row)
        try:
            message_id = await self._post(row, flight)
        except NotSent:
            return
        except asyncio.CancelledError:
            # Stopped after the request left: it may have arrived. An edit stays `sending`,
            # and the next start sends it again (storage.outbox.recover_after_crash).
            if flight.out and row.edits is None:
                await self._give_up(row, "uncertain", "the bot stopped while the request was out")
            raise
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
            # An edit repeated changes nothing, so only a new message is never sent twice.
            if reached_server(exc) and row.edits is None:
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
            if flight.out:
                await self._give_up(row, "uncertain", f"unexpected: {exc!r}")
            else:  # it never left: still pending, try again later
                await self._retry(row, None, f"unexpected before sending: {exc!r}")
        else:
            await self._write(
                lambda: outbox.mark_sent(self.db, row.id, message_id, self._clock.now())
            )
        finally:
            flight.landed()

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
            lambda: outbox.retry_at(self.db, row.id, at, error, refund_attempt=not count_attempt)
        )

    async def _write(self, work: Callable[[], object]) -> None:
        """Record an outcome, however long another process holds the database: a request
        that left must never be recorded wrongly for want of the lock."""
        await run_transaction(self.db, work, wait=None)

    async def _give_up(self, row: OutMessage, state: outbox.State, error: str) -> None:
        log.warning("outbox row %s (%s to %s) %s: %s", row.id, row.kind, row.chat_id, state, error)

        def work() -> None:
            outbox.mark(self.db, row.id, state, error)
            if state != "uncertain" and row.kind != "alert":
                self._alert_admins(row, state, error)

        await self._write(work)
        if state == "uncertain":
            self._report_soon()

    async def _forbidden(self, row: OutMessage, error: str) -> None:
        now = self._clock.now()

        def work() -> None:
            outbox.mark(self.db, row.id, "suspended", error)
            outbox.suspend_chat(self.db, row.chat_id, error)
            first = chats.suspend(self.db, row.chat_id, error, now)
            if first and row.kind != "alert":
                self._alert_admins(row, "suspended", error)

        await self._write(work)

    async def _migrated(self, row: OutMessage, new_chat_id: int) -> None:
        now = self._clock.now()

        def work() -> None:
            chats.migrate_chat(self.db, row.chat_id, new_chat_id, now)
            outbox.redirect(self.db, row.chat_id, new_chat_id)
            outbox.retry_at(self.db, row.id, now, f"migrated to {new_chat_id}")

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

        svc = self._services
        key = f"alert:{row.id}:{state}"
        notify.notify(svc, notify.admins(svc), key, "alert", render, self._clock.now())
        self.kick()

    def _report_soon(self) -> None:
        """Report uncertain rows shortly, so that one fan-out's timeouts share an alert."""
        if self._report_timer is None and not self.stopping:
            loop = asyncio.get_running_loop()
            self._report_timer = loop.call_later(REPORT_SETTLE, self._report_now)

    def _report_now(self) -> None:
        self._report_timer = None
        if self.stopping:
            return
        self.later(run_transaction(self.db, self._report_uncertain, wait=None))

    def _report_uncertain(self) -> None:
        if self._services is not None and report_uncertain(self._services, self._clock.now()):
            self.kick()
