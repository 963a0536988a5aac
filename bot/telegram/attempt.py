"""One attempt at one outbox row: claimed the moment its request leaves, posted (or its edit
made), and what came back sorted by whether the request could have reached Telegram.

What is recorded for each outcome (sent, retry, give up, suspended, migrated) is
bot/telegram/outcomes.py; the loop that makes the attempts is bot/telegram/delivery.py.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import TYPE_CHECKING, Any

from telegram import Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram.buttons import keyboard
from bot.telegram.outcomes import forbidden, give_up, migrated, record, retry
from bot.telegram.transport import reached_server
from storage import outbox
from storage.db import DatabaseBusy, is_busy, run_transaction, transaction
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from bot.telegram.delivery import Delivery

log = logging.getLogger(__name__)


class NotSent(Exception):
    """The request was held back before it left: the bot is stopping, or the row is gone."""


class Flight:
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


async def send(d: Delivery, row: OutMessage) -> None:
    """One attempt at one row, recording the state as it leaves and after."""
    flight = Flight(d, row)
    try:
        message_id = await _post(d, row, flight)
    except NotSent:
        return
    except asyncio.CancelledError:
        # Stopped after the request left: it may have arrived. An edit stays `sending`,
        # and the next start sends it again (storage.outbox.recover_after_crash).
        if flight.out and row.edits is None:
            await give_up(d, row, "uncertain", "the bot stopped while the request was out")
        raise
    except RetryAfter as exc:
        with warnings.catch_warnings():
            # PTB 22 warns that retry_after becomes a timedelta; both forms are handled.
            warnings.simplefilter("ignore")
            after = exc.retry_after
        delay = after if isinstance(after, int | float) else after.total_seconds()
        await retry(d, row, delay, f"429 retry after {delay}", count_attempt=False)
    except ChatMigrated as exc:
        await migrated(d, row, exc.new_chat_id)
    except Forbidden as exc:
        await forbidden(d, row, str(exc))
    except TimedOut as exc:
        # An edit repeated changes nothing, so only a new message is never sent twice.
        if reached_server(exc) and row.edits is None:
            await give_up(d, row, "uncertain", f"timed out after sending: {exc}")
        else:
            await retry(d, row, None, f"connect timeout: {exc}")
    except BadRequest as exc:
        await give_up(d, row, "failed", f"bad request: {exc}")
    except NetworkError as exc:
        # 5xx answers and refused connections: Telegram did not take the message.
        await retry(d, row, None, f"network error: {exc}")
    except Exception as exc:  # noqa: BLE001 - the row must never stay 'sending'
        log.exception("unexpected error sending outbox row %s", row.id)
        if flight.out:
            await give_up(d, row, "uncertain", f"unexpected: {exc!r}")
        else:  # it never left: still pending, try again later
            await retry(d, row, None, f"unexpected before sending: {exc!r}")
    else:
        await record(d, lambda: outbox.mark_sent(d.db, row.id, message_id, d.clock.now()))
    finally:
        flight.landed()


async def _post(d: Delivery, row: OutMessage, flight: Flight) -> int | None:
    """Send the row (or make its edit); the id of the message it landed in."""
    markup = keyboard(d.signer, row.buttons)
    if row.edits is not None:
        return await _edit(d, row, markup, flight)
    sent: Message
    if d.paced:
        # The limiter calls flight.leave() once pacing lets the request go.
        sent = await d.bot.send_message(
            row.chat_id, row.text, reply_markup=markup, rate_limit_args=flight
        )
    else:
        flight.leave()
        sent = await d.bot.send_message(row.chat_id, row.text, reply_markup=markup)
    return sent.message_id


async def _edit(d: Delivery, row: OutMessage, markup: Any, flight: Flight) -> int | None:
    """Replace a sent message's text and buttons; an edit that changes nothing is done."""
    try:
        if d.paced:
            await d.bot.edit_message_text(
                row.text,
                chat_id=row.chat_id,
                message_id=row.edits,
                reply_markup=markup,
                rate_limit_args=flight,
            )
        else:
            flight.leave()
            await d.bot.edit_message_text(
                row.text, chat_id=row.chat_id, message_id=row.edits, reply_markup=markup
            )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    return row.edits
