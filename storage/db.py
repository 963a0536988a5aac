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


class DatabaseFileError(Exception):
    """The database file cannot be used: not SQLite, corrupt, a directory, unreadable."""


def check_database_file(path: str | Path) -> None:
    """Refuse a file that is not a readable SQLite database, before anything writes to it.

    The file is opened read-only, so a wrong or damaged file is left exactly as it was.
    A file that does not exist yet is fine (it is created on open).
    """
    file = Path(path)
    if str(path) == ":memory:" or not file.exists():
        return
    if file.is_dir():
        raise DatabaseFileError(f"{file} is a directory, not an SQLite database file")
    # Opening a WAL file, even read-only, creates -wal and -shm beside it; on a bad file
    # the ones this check created are removed again, so the directory is left as it was.
    side = [file.with_name(file.name + suffix) for suffix in ("-wal", "-shm")]
    created = [p for p in side if not p.exists()]
    try:
        conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        for path in created:
            path.unlink(missing_ok=True)
        reason = str(exc)
        if "locked" in reason or "busy" in reason:
            return  # in use by another process: nothing wrong with the file
        if "not a database" in reason:
            raise DatabaseFileError(f"{file} is not an SQLite database ({reason})") from exc
        if "malformed" in reason or "corrupt" in reason:
            raise DatabaseFileError(
                f"{file} is damaged ({reason}); restore it from a backup"
            ) from exc
        raise DatabaseFileError(f"{file} cannot be opened ({reason})") from exc


def open_database(path: str | Path) -> Database:
    """Open the SQLite file with WAL, foreign keys and a busy timeout (checked first)."""
    check_database_file(path)
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
