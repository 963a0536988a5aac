"""Opening the SQLite file, transactions and the schema registry."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database


def utc_iso(moment: datetime) -> str:
    """Serialise an aware datetime as UTC ISO-8601 with milliseconds (one fixed width sorts)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be stored")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def from_iso(text: str | None) -> datetime | None:
    """Parse a stored UTC ISO-8601 string back into an aware datetime."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_database(path: str | Path) -> Database:
    """Open the SQLite file with WAL, foreign keys and a busy timeout."""
    conn = sqlite3.connect(str(path), timeout=10.0)
    db = Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=10000")
    # NORMAL is durable in WAL mode across application crashes (only an OS crash
    # can lose the last commits); FULL would cost an fsync per reply.
    db.execute("PRAGMA synchronous=NORMAL")
    return db


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One atomic unit of work; nested calls become savepoints."""
    with db.atomic():
        yield db


def select(
    db: Database, sql: str, params: list[Any] | tuple[Any, ...] = ()
) -> list[dict[str, Any]]:
    """Rows of a SELECT as dicts.

    sqlite-utils' query() wraps every statement in a savepoint so that it can refuse
    writes; a known SELECT does not need that, and the three statements per read were the
    larger part of a read command's database time.
    """
    cursor = db.conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(db: Database, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> dict[str, Any] | None:
    """The first row of a query, or None."""
    rows = select(db, sql, params)
    return rows[0] if rows else None


def scalar(db: Database, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
    """The first column of the first row, or None."""
    row = one(db, sql, params)
    return None if row is None else next(iter(row.values()))
