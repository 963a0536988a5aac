"""GET /healthz: what a process supervisor or an uptime monitor needs, in one JSON object.

200 when everything is well, 503 when something is wrong: the database does not answer,
the scheduler is not running, due messages have waited in the outbox too long, or (when
polling) Telegram has not been polled for too long.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.services import Services
from storage import outbox
from storage.db import scalar

BACKLOG_STALE = 600.0  # seconds the oldest due message may wait before it is a problem
POLL_STALE = 120.0  # seconds without an answered getUpdates (long polls last 25 s)
POLL_FAILURES = 5  # failed getUpdates in a row (Telegram down, 409: another poller)


@dataclass
class HealthProbe:
    """Where the health check looks: the scheduler, the last answered poll, poll failures.

    `last_poll` is the time.monotonic() of the last answered getUpdates, None before the
    first (and always in webhook mode, where nothing polls).
    """

    scheduler_running: Callable[[], bool] = lambda: True
    last_poll: Callable[[], float | None] = lambda: None
    poll_failures: Callable[[], int] = lambda: 0


def health(svc: Services, probe: HealthProbe) -> tuple[bool, dict[str, Any]]:
    """(healthy, report)."""
    problems: list[str] = []
    try:
        database = scalar(svc.db, "SELECT 1") == 1
    except sqlite3.Error:
        database = False
    if not database:
        problems.append("database")
    scheduler = probe.scheduler_running()
    if not scheduler:
        problems.append("scheduler")
    now = svc.clock.now()
    backlog, oldest = (0, None)
    if database:
        backlog, oldest = outbox.backlog(svc.db, now)
    waited = (now - oldest).total_seconds() if oldest is not None else 0.0
    if waited > BACKLOG_STALE:
        problems.append("outbox")
    last = probe.last_poll()
    since_poll = None if last is None else round(time.monotonic() - last, 1)
    failures = probe.poll_failures()
    if (since_poll is not None and since_poll > POLL_STALE) or failures >= POLL_FAILURES:
        problems.append("polling")
    report = {
        "ok": not problems,
        "database": database,
        "scheduler": scheduler,
        "outbox_backlog": backlog,
        "outbox_oldest_wait_s": round(max(waited, 0.0), 1),
        "seconds_since_last_poll": since_poll,
        "poll_failures_in_a_row": failures,
        "problems": problems,
    }
    return not problems, report
