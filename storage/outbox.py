"""Outbound messages with their delivery state: the ledger behind exactly-once sending.

A row is written (in the same transaction as the change that causes it) before any
send; it moves pending -> sending -> sent, and is `sending` only while its request is out
(claimed as it leaves the rate limiter, not while it waits there). A row left in `sending`
by a crash, or whose send timed out after reaching Telegram, becomes `uncertain`, is never
retried blindly, and is reported to the admins once (`reported_at`). The unique key makes
enqueueing idempotent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from weakref import WeakKeyDictionary

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

State = Literal["pending", "sending", "sent", "uncertain", "failed", "suspended", "missed"]

migrations = Migrations("coordbot.outbox")

# Per connection, how many times rows were queued, rewritten or redirected: a command
# wakes delivery only when this moved (waking it costs two queries on the event loop).
_queued: WeakKeyDictionary[Database, int] = WeakKeyDictionary()


def queued_count(db: Database) -> int:
    """How many times this process queued, rewrote or redirected rows through `db`.

    Counted on every attempt, also one rolled back later: a wake too many is harmless,
    a missed one would leave a notice waiting for delivery's next timer.
    """
    return _queued.get(db, 0)


def _count_queued(db: Database) -> None:
    _queued[db] = _queued.get(db, 0) + 1


@migrations()
def m001_outbox(db: Database) -> None:
    """The outbox table."""
    db.execute(
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            text TEXT NOT NULL,
            buttons TEXT,
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            message_id INTEGER,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox(state, next_attempt_at)")
    db.execute("CREATE INDEX outbox_chat ON outbox(chat_id, state, next_attempt_at)")


@migrations()
def m002_reported(db: Database) -> None:
    """When an uncertain row was reported to the admins."""
    db.execute("ALTER TABLE outbox ADD COLUMN reported_at TEXT")
    # Uncertain rows from timeouts were reported one by one; those found after a crash
    # ('interrupted by restart') were only logged, so they are reported at the next start.
    db.execute(
        "UPDATE outbox SET reported_at = created_at WHERE state = 'uncertain' "
        "AND COALESCE(last_error, '') != 'interrupted by restart'"
    )


@migrations()
def m003_edits(db: Database) -> None:
    """A row may edit a message already sent (a card whose buttons change) instead of
    sending a new one: `edits` holds that message's id."""
    db.execute("ALTER TABLE outbox ADD COLUMN edits INTEGER")


@dataclass(frozen=True)
class OutMessage:
    """One message to deliver."""

    id: int
    key: str
    kind: str
    chat_id: int
    text: str
    buttons: list[list[dict[str, str]]] | None
    state: State
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: int | None
    edits: int | None = None  # the message this row edits in place; None: a new message


def _row(row: dict[str, Any]) -> OutMessage:
    return OutMessage(
        id=row["id"],
        key=row["key"],
        kind=row["kind"],
        chat_id=row["chat_id"],
        text=row["text"],
        buttons=json.loads(row["buttons"]) if row["buttons"] else None,
        state=row["state"],
        attempts=row["attempts"],
        next_attempt_at=from_iso(row["next_attempt_at"]),  # type: ignore[arg-type]
        last_error=row["last_error"],
        message_id=row["message_id"],
        edits=row["edits"],
    )


def enqueue(
    db: Database,
    *,
    key: str,
    kind: str,
    chat_id: int,
    text: str,
    now: datetime,
    buttons: list[list[dict[str, str]]] | None = None,
    edits: int | None = None,
) -> bool:
    """Queue a message under a unique key; False if that key was queued before. With
    `edits`, the row replaces the text and buttons of that message (sent to the same chat)."""
    _count_queued(db)
    cursor = db.execute(
        """INSERT OR IGNORE INTO outbox (key, kind, chat_id, text, buttons, next_attempt_at,
                                         created_at, edits)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            key,
            kind,
            chat_id,
            text,
            json.dumps(buttons, ensure_ascii=False) if buttons else None,
            utc_iso(now),
            utc_iso(now),
            edits,
        ],
    )
    return cursor.rowcount > 0


def rewrite_pending(
    db: Database, row_id: int, text: str, buttons: list[list[dict[str, str]]] | None
) -> bool:
    """Replace the text and buttons of a row that has not left yet; False if it has."""
    _count_queued(db)
    cursor = db.execute(
        "UPDATE outbox SET text = ?, buttons = ? WHERE id = ? AND state = 'pending'",
        [text, json.dumps(buttons, ensure_ascii=False) if buttons else None, row_id],
    )
    return cursor.rowcount > 0


def get(db: Database, message_id: int) -> OutMessage | None:
    """An outbox row by id."""
    row = one(db, "SELECT * FROM outbox WHERE id = ?", [message_id])
    return _row(row) if row else None


def chats_with_due(db: Database, now: datetime, limit: int = 1000) -> list[int]:
    """Chats that have a pending row due (each once)."""
    rows = select(
        db,
        """SELECT chat_id, MIN(next_attempt_at) AS first FROM outbox
           WHERE state = 'pending' AND next_attempt_at <= ?
           GROUP BY chat_id ORDER BY first LIMIT ?""",
        [utc_iso(now), limit],
    )
    return [r["chat_id"] for r in rows]


def due_for_chat(db: Database, chat_id: int, now: datetime) -> list[OutMessage]:
    """One chat's pending rows that are due, oldest first."""
    rows = select(
        db,
        """SELECT * FROM outbox WHERE chat_id = ? AND state = 'pending' AND next_attempt_at <= ?
           ORDER BY next_attempt_at, id""",
        [chat_id, utc_iso(now)],
    )
    return [_row(r) for r in rows]


def next_due_at(db: Database) -> datetime | None:
    """When the earliest pending row becomes due."""
    row = one(db, "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE state = 'pending'")
    return from_iso(row["t"]) if row and row["t"] else None


def mark_sending(db: Database, row_id: int) -> bool:
    """Claim a pending row for a send attempt; False if it is no longer pending."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1 "
        "WHERE id = ? AND state = 'pending'",
        [row_id],
    )
    return cursor.rowcount > 0


def release(db: Database, row_id: int) -> bool:
    """Hand back a claimed row whose request surely did not reach Telegram (a 429)."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'pending', attempts = MAX(attempts - 1, 0) "
        "WHERE id = ? AND state = 'sending'",
        [row_id],
    )
    return cursor.rowcount > 0


def mark_sent(db: Database, row_id: int, message_id: int | None, now: datetime) -> None:
    """Record a confirmed delivery."""
    db.execute(
        "UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, last_error = NULL "
        "WHERE id = ?",
        [message_id, utc_iso(now), row_id],
    )


def mark(db: Database, row_id: int, state: State, error: str | None = None) -> None:
    """Move a row to a terminal or waiting state with the reason."""
    db.execute("UPDATE outbox SET state = ?, last_error = ? WHERE id = ?", [state, error, row_id])


def retry_at(
    db: Database, row_id: int, at: datetime, error: str, refund_attempt: bool = False
) -> None:
    """Put a row back to pending for another attempt at a given time."""
    db.execute(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, "
        "attempts = attempts - ? WHERE id = ?",
        [utc_iso(at), error, 1 if refund_attempt else 0, row_id],
    )


def redirect(db: Database, old_chat_id: int, new_chat_id: int) -> int:
    """Point undelivered rows of a migrated group at its new id."""
    _count_queued(db)
    cursor = db.execute(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND state IN ('pending', 'sending')",
        [new_chat_id, old_chat_id],
    )
    return cursor.rowcount


def suspend_chat(db: Database, chat_id: int, reason: str) -> int:
    """Stop everything still pending for a chat that kicked or blocked the bot."""
    cursor = db.execute(
        "UPDATE outbox SET state = 'suspended', last_error = ? "
        "WHERE chat_id = ? AND state = 'pending'",
        [reason, chat_id],
    )
    return cursor.rowcount


def recover_after_crash(db: Database) -> int:
    """Rows caught mid-send by a crash may have been delivered: mark them uncertain (an
    edit, which changes nothing when repeated, goes again instead); return how many."""
    db.execute(
        "UPDATE outbox SET state = 'pending', last_error = 'interrupted by restart' "
        "WHERE state = 'sending' AND edits IS NOT NULL"
    )
    cursor = db.execute(
        "UPDATE outbox SET state = 'uncertain', last_error = 'interrupted by restart' "
        "WHERE state = 'sending'"
    )
    return cursor.rowcount


def unreported_uncertain(db: Database) -> list[OutMessage]:
    """Uncertain rows the admins have not been told about yet, oldest first."""
    rows = select(
        db, "SELECT * FROM outbox WHERE state = 'uncertain' AND reported_at IS NULL ORDER BY id"
    )
    return [_row(r) for r in rows]


def mark_reported(db: Database, row_ids: list[int], now: datetime) -> None:
    """Record that the admins were told about these rows."""
    for row_id in row_ids:
        db.execute("UPDATE outbox SET reported_at = ? WHERE id = ?", [utc_iso(now), row_id])


def notice_of(key: str, chat_id: int) -> str:
    """The notice a row belongs to: its key without the chat id and part number
    (`<notice>:<chat id>[:<part>]`, e.g. `bulletin:7:-100:1` -> `bulletin:7`), so that one
    notice's rows to many chats are reported together."""
    parts = key.split(":")
    chat = str(chat_id)
    for end in (len(parts) - 1, len(parts) - 2):
        if end >= 1 and parts[end] == chat:
            return ":".join(parts[:end])
    return key


def counts(db: Database) -> dict[str, int]:
    """Number of rows in each state."""
    return {
        r["state"]: r["n"]
        for r in select(db, "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
    }


def by_key_prefix(db: Database, prefix: str) -> list[OutMessage]:
    """Rows whose key starts with a prefix, in order."""
    rows = select(
        db,
        "SELECT * FROM outbox WHERE key >= ? AND key < ? ORDER BY id",
        [prefix, prefix + "\uffff"],
    )
    return [_row(r) for r in rows]


def backlog(db: Database, now: datetime) -> tuple[int, datetime | None]:
    """Pending rows already due, and the earliest due time among them (health check)."""
    row = one(
        db,
        "SELECT COUNT(*) AS n, MIN(next_attempt_at) AS first FROM outbox"
        " WHERE state = 'pending' AND next_attempt_at <= ?",
        [utc_iso(now)],
    )
    if row is None:
        return 0, None
    return int(row["n"]), from_iso(row["first"])
