"""Opening the SQLite file, transactions, waiting out a busy database, and plain reads."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlite_utils import Database

T = TypeVar("T")

# While serving, the SQLite busy handler may block the event loop (every chat) for at most
# this long per attempt; longer waits are asyncio sleeps between attempts (run_transaction).
SERVING_BUSY_TIMEOUT_MS = 20
# Sleeps between attempts while another process holds the write lock.
BUSY_BACKOFF = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25)
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


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


def set_busy_timeout(db: Database, milliseconds: int) -> None:
    """How long one statement may block waiting for another connection's lock."""
    db.execute(f"PRAGMA busy_timeout={int(milliseconds)}")


class DatabaseBusy(Exception):
    """Another process kept the database locked for longer than we were willing to wait."""


def is_busy(exc: BaseException) -> bool:
    """Whether an exception is SQLite saying another connection holds the lock."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(exc)


@contextmanager
def transaction(db: Database, *, immediate: bool = True) -> Iterator[Database]:
    """One atomic unit of work; nested calls become savepoints.

    A writer begins IMMEDIATE, taking the write lock up front: in WAL mode a deferred
    transaction that has read and then writes gets SQLITE_BUSY at once when another
    process holds the lock (the busy timeout does not apply to that upgrade), whereas
    BEGIN IMMEDIATE waits out the busy timeout. `immediate=False` is for transactions that
    only read, which WAL lets run while another process writes.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


# One waiter at a time polls a locked database; the rest queue behind it in order, so a
# hundred waiting updates do not each spend the busy timeout on the loop thread per attempt.
_waiters: WeakKeyDictionary[Database, asyncio.Lock] = WeakKeyDictionary()


def _queue_of(db: Database) -> asyncio.Lock:
    queue = _waiters.get(db)
    if queue is None:
        queue = _waiters[db] = asyncio.Lock()
    return queue


def _attempt(db: Database, work: Callable[[], T], immediate: bool) -> tuple[bool, T | None]:
    try:
        with transaction(db, immediate=immediate):
            return True, work()
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        return False, None


async def run_transaction(
    db: Database,
    work: Callable[[], T],
    *,
    wait: float | None = 5.0,
    immediate: bool = True,
) -> T:
    """Run synchronous `work` in one transaction, waiting out another process's write lock.

    The wait is asyncio sleeps between attempts, so the event loop keeps serving other
    chats. `work` may run more than once (each failed attempt is rolled back whole), so it
    must only touch the database. After `wait` seconds (None: no bound) without the lock
    it raises DatabaseBusy, having changed nothing. A transaction that only reads
    (`immediate=False`) is tried at once even while others wait; should it need to write
    after all and find the lock taken, it is retried as a writer.
    """
    if db.conn.in_transaction:
        raise RuntimeError("run_transaction inside an open transaction")
    queue = _queue_of(db)
    if not immediate or not queue.locked():
        done, result = _attempt(db, work, immediate)
        if done:
            return result  # type: ignore[return-value]
    loop = asyncio.get_running_loop()
    deadline = None if wait is None else loop.time() + wait
    timeout = asyncio.timeout_at(deadline)
    try:
        async with timeout, queue:
            for attempt in itertools.count():
                done, result = _attempt(db, work, True)
                if done:
                    return result  # type: ignore[return-value]
                await asyncio.sleep(BUSY_BACKOFF[min(attempt, len(BUSY_BACKOFF) - 1)])
    except TimeoutError:
        if timeout.expired():
            raise DatabaseBusy(f"database still locked after {wait:g} s") from None
        raise
    raise AssertionError("unreachable")


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
