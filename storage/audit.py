"""The audit trail of state-changing commands, which also deduplicates redelivered updates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

migrations = Migrations("coordbot.audit")


@migrations()
def m001_audit(db: Database) -> None:
    """The audit table; (chat_id, message_id) is unique so a redelivery cannot act twice."""
    db.execute(
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            chat_id INTEGER,
            message_id INTEGER,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            outcome TEXT NOT NULL
        )"""
    )
    db.execute(
        "CREATE UNIQUE INDEX audit_message ON audit(chat_id, message_id) "
        "WHERE message_id IS NOT NULL"
    )
    db.execute("CREATE INDEX audit_at ON audit(at)")


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: datetime
    user_id: int | None
    chat_id: int | None
    message_id: int | None
    action: str
    detail: dict[str, Any]
    outcome: str


@dataclass(frozen=True)
class Trail:
    """One page of the trail, newest first, with the names of the people in it."""

    entries: list[AuditEntry]
    names: dict[int, str]
    total: int
    page: int
    pages: int


def already_handled(db: Database, chat_id: int, message_id: int) -> bool:
    """True when a command from this message was already recorded."""
    row = one(
        db, "SELECT 1 AS x FROM audit WHERE chat_id = ? AND message_id = ?", [chat_id, message_id]
    )
    return row is not None


def record(
    db: Database,
    *,
    now: datetime,
    action: str,
    outcome: str,
    user_id: int | None = None,
    chat_id: int | None = None,
    message_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Append an audit entry; return its id."""
    cursor = db.execute(
        """INSERT INTO audit (at, user_id, chat_id, message_id, action, detail, outcome)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            utc_iso(now),
            user_id,
            chat_id,
            message_id,
            action,
            json.dumps(detail or {}, ensure_ascii=False, default=str),
            outcome,
        ],
    )
    return int(cursor.lastrowid or 0)


def recent(db: Database, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
    """The latest entries, newest first, optionally of one action."""
    sql = "SELECT * FROM audit"
    params: list[Any] = []
    if action:
        sql += " WHERE action = ?"
        params.append(action)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [
        AuditEntry(
            id=r["id"],
            at=from_iso(r["at"]),  # type: ignore[arg-type]
            user_id=r["user_id"],
            chat_id=r["chat_id"],
            message_id=r["message_id"],
            action=r["action"],
            detail=json.loads(r["detail"]),
            outcome=r["outcome"],
        )
        for r in select(db, sql, params)
    ]


def query(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    user_id: int | None = None,
    mentions: str | None = None,
    limit: int = 10_000,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Entries newest first, filtered by time, user or a text in the detail; and the count."""
    clauses: list[str] = ["1"]
    params: list[Any] = []
    if since is not None:
        clauses.append("at >= ?")
        params.append(utc_iso(since))
    if until is not None:
        clauses.append("at < ?")
        params.append(utc_iso(until))
    if user_id is not None:
        clauses.append("user_id = ?")
        params.append(user_id)
    if mentions:
        clauses.append("instr(lower(detail), lower(?)) > 0")
        params.append(json.dumps(mentions, ensure_ascii=False))
    where = " AND ".join(clauses)
    total = one(db, f"SELECT count(*) AS n FROM audit WHERE {where}", params)
    rows = select(
        db,
        f"SELECT * FROM audit WHERE {where} ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    entries = [
        AuditEntry(
            id=r["id"],
            at=from_iso(r["at"]),  # type: ignore[arg-type]
            user_id=r["user_id"],
            chat_id=r["chat_id"],
            message_id=r["message_id"],
            action=r["action"],
            detail=json.loads(r["detail"]),
            outcome=r["outcome"],
        )
        for r in rows
    ]
    return entries, int(total["n"] if total else 0)
