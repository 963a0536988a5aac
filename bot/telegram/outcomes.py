"""Recording how an attempt at an outbox row ended: retried with backoff, given up (failed,
or uncertain: never sent again), the chat suspended (403), or moved to its supergroup.

Each outcome is written however long another process holds the database, and an admin is
alerted in the same transaction (bot/telegram/delivery_alerts.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.telegram.delivery_alerts import alert_admins
from storage import chats, outbox
from storage.db import run_transaction
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from bot.telegram.delivery import Delivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF = (1, 2, 4, 8, 16)


async def retry(
    d: Delivery, row: OutMessage, delay: float | None, error: str, count_attempt: bool = True
) -> None:
    """Send the row again after `delay` (or the backoff), giving up after MAX_ATTEMPTS."""
    attempts = row.attempts + 1
    if count_attempt and attempts >= MAX_ATTEMPTS:
        await give_up(d, row, "failed", f"{error} (after {attempts} attempts)")
        return
    wait = delay if delay is not None else BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    at = d.clock.now() + timedelta(seconds=wait)
    # A 429 is Telegram's pacing, not a failure: it does not use up an attempt.
    await record(
        d, lambda: outbox.retry_at(d.db, row.id, at, error, refund_attempt=not count_attempt)
    )


async def record(d: Delivery, work: Callable[[], object]) -> None:
    """Record an outcome, however long another process holds the database: a request
    that left must never be recorded wrongly for want of the lock."""
    await run_transaction(d.db, work, wait=None)


async def give_up(d: Delivery, row: OutMessage, state: outbox.State, error: str) -> None:
    """Never send the row again (failed or uncertain), and have the admins told."""
    log.warning("outbox row %s (%s to %s) %s: %s", row.id, row.kind, row.chat_id, state, error)

    def work() -> None:
        outbox.mark(d.db, row.id, state, error)
        if state != "uncertain" and row.kind != "alert":
            alert_admins(d, row, state, error)

    await record(d, work)
    if state == "uncertain":
        d.reports.soon()


async def forbidden(d: Delivery, row: OutMessage, error: str) -> None:
    """The bot was removed or blocked (403): suspend deliveries to the chat."""
    now = d.clock.now()

    def work() -> None:
        outbox.mark(d.db, row.id, "suspended", error)
        outbox.suspend_chat(d.db, row.chat_id, error)
        first = chats.suspend(d.db, row.chat_id, error, now)
        if first and row.kind != "alert":
            alert_admins(d, row, "suspended", error)

    await record(d, work)


async def migrated(d: Delivery, row: OutMessage, new_chat_id: int) -> None:
    """The group became a supergroup: move the chat and its rows to the new id, send again."""
    now = d.clock.now()

    def work() -> None:
        chats.migrate_chat(d.db, row.chat_id, new_chat_id, now)
        outbox.redirect(d.db, row.chat_id, new_chat_id)
        outbox.retry_at(d.db, row.id, now, f"migrated to {new_chat_id}")

    await record(d, work)
    d.kick()
