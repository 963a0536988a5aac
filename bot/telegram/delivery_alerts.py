"""What delivery tells the admins: a row that failed or whose chat was suspended (one alert
each), and the uncertain rows, reported shortly after they become so, so that one fan-out's
timeouts share an alert (the alert itself is bot/telegram/uncertain.py)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.i18n import N_, Tr
from bot.render.text import esc
from bot.services import notify
from bot.telegram.uncertain import report_uncertain
from storage.db import run_transaction
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from bot.telegram.delivery import Delivery

REPORT_SETTLE = 1.0  # uncertain rows becoming so within this long share one alert
STATE_NAMES = {
    "failed": N_("failed after retries"),
    "suspended": N_("the bot was removed or blocked; deliveries to that chat are suspended"),
}


def alert_admins(d: Delivery, row: OutMessage, state: str, error: str) -> None:
    """Queue an alert to the admins that a row was not delivered (inside the transaction)."""
    # Alerts go through the outbox too, so they obey the same exactly-once rules.
    if d.services is None:
        return

    def render(tr: Tr) -> str:
        return tr(
            "⚠️ A {kind} message to chat {chat} was not delivered ({state}): {error}",
            kind=esc(row.kind),
            chat=row.chat_id,
            state=tr(STATE_NAMES.get(state, state)),
            error=esc(error[:500]),
        )

    svc = d.services
    key = f"alert:{row.id}:{state}"
    notify.notify(svc, notify.admins(svc), key, "alert", render, d.clock.now())
    d.kick()


class UncertainReports:
    """The report of a delivery's uncertain rows to the admins, made once they settle."""

    def __init__(self, delivery: Delivery) -> None:
        self._delivery = delivery
        self._timer: asyncio.TimerHandle | None = None

    def soon(self) -> None:
        """Report uncertain rows shortly, so that one fan-out's timeouts share an alert."""
        if self._timer is None and not self._delivery.stopping:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(REPORT_SETTLE, self._now)

    def cancel(self) -> None:
        """Drop a report still waiting to settle (the bot is stopping)."""
        if self._timer is not None:
            self._timer.cancel()

    def _now(self) -> None:
        self._timer = None
        d = self._delivery
        if d.stopping:
            return
        d.later(run_transaction(d.db, self.report, wait=None))

    def report(self) -> None:
        """Queue the alerts for uncertain rows not reported yet (call inside a transaction)."""
        d = self._delivery
        if d.services is not None and report_uncertain(d.services, d.clock.now()):
            d.kick()
