"""Published bulletin issues with their frozen parts, the schedule setting and approvals.

An issue records the issue it follows (`after_issue`, unique), so two publications
racing from the same state can never both become issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, scalar, select, utc_iso

migrations = Migrations("coordbot.bulletins")


@migrations()
def m001_bulletins(db: Database) -> None:
    """Issues, their parts per language, the schedule and approval requests."""
    db.execute(
        """CREATE TABLE bulletin_issues (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            after_issue INTEGER NOT NULL UNIQUE,
            period_start TEXT,
            period_end TEXT NOT NULL,
            published_at TEXT NOT NULL,
            published_by INTEGER,
            via TEXT NOT NULL,
            last_entry_id INTEGER NOT NULL DEFAULT 0,
            last_change_id INTEGER NOT NULL DEFAULT 0,
            last_result_id INTEGER NOT NULL DEFAULT 0,
            UNIQUE (year, number)
        )"""
    )
    db.execute(
        """CREATE TABLE bulletin_parts (
            issue_id INTEGER NOT NULL REFERENCES bulletin_issues(id),
            lang TEXT NOT NULL,
            n INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (issue_id, lang, n)
        )"""
    )
    db.execute(
        """CREATE TABLE bulletin_schedule (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            freq TEXT NOT NULL CHECK (freq IN ('weekly', 'monthly')),
            day INTEGER NOT NULL,
            at TEXT NOT NULL,
            approve INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            updated_by INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE bulletin_approvals (
            id INTEGER PRIMARY KEY,
            run_ref TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'approved', 'held')),
            created_at TEXT NOT NULL,
            decided_by INTEGER,
            decided_at TEXT,
            issue_id INTEGER REFERENCES bulletin_issues(id)
        )"""
    )


# What an issue covered, as the last entry, stage change and evaluation result included:
# ids, unlike timestamps, cannot tie with something logged in the same second.
Marks = tuple[int, int, int]


@dataclass(frozen=True)
class Issue:
    """A published bulletin issue."""

    id: int
    year: int
    number: int
    period_start: datetime | None
    period_end: datetime
    published_at: datetime
    via: str
    marks: Marks = (0, 0, 0)


@dataclass(frozen=True)
class Schedule:
    """When the bot publishes by itself: weekly on a weekday or monthly on a day, at HH:MM."""

    freq: str
    day: int
    at: str
    approve: bool


@dataclass(frozen=True)
class Approval:
    """A scheduled issue waiting for an admin's Approve or Hold."""

    id: int
    run_ref: str
    state: str
    decided_by: int | None
    issue_id: int | None


def _issue(row: dict[str, Any]) -> Issue:
    return Issue(
        id=row["id"],
        year=row["year"],
        number=row["number"],
        period_start=from_iso(row["period_start"]),
        period_end=from_iso(row["period_end"]),  # type: ignore[arg-type]
        published_at=from_iso(row["published_at"]),  # type: ignore[arg-type]
        via=row["via"],
        marks=(row["last_entry_id"], row["last_change_id"], row["last_result_id"]),
    )


def latest_issue(db: Database) -> Issue | None:
    """The most recently published issue."""
    row = one(db, "SELECT * FROM bulletin_issues ORDER BY id DESC LIMIT 1")
    return _issue(row) if row else None


def next_number(db: Database, year: int) -> int:
    """The number the next issue of a year gets."""
    return (
        int(scalar(db, "SELECT MAX(number) FROM bulletin_issues WHERE year = ?", [year]) or 0) + 1
    )


def create_issue(
    db: Database,
    *,
    year: int,
    after: Issue | None,
    period_end: datetime,
    now: datetime,
    by_user: int | None,
    via: str,
    marks: Marks,
    parts: dict[str, list[str]],
) -> Issue | None:
    """Freeze a new issue with its parts per language; None if one already follows `after`."""
    cursor = db.execute(
        """INSERT OR IGNORE INTO bulletin_issues (year, number, after_issue, period_start,
               period_end, published_at, published_by, via, last_entry_id, last_change_id,
               last_result_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            year,
            next_number(db, year),
            after.id if after else 0,
            utc_iso(after.period_end) if after else None,
            utc_iso(period_end),
            utc_iso(now),
            by_user,
            via,
            *marks,
        ],
    )
    if cursor.rowcount == 0:
        return None
    issue_id = int(cursor.lastrowid or 0)
    for lang, texts in parts.items():
        for n, text in enumerate(texts, start=1):
            db.execute(
                "INSERT INTO bulletin_parts (issue_id, lang, n, text) VALUES (?, ?, ?, ?)",
                [issue_id, lang, n, text],
            )
    return get_issue_by_id(db, issue_id)


def get_issue_by_id(db: Database, issue_id: int) -> Issue | None:
    """An issue by its row id."""
    row = one(db, "SELECT * FROM bulletin_issues WHERE id = ?", [issue_id])
    return _issue(row) if row else None


def get_issue(db: Database, year: int, number: int) -> Issue | None:
    """An issue by year and number."""
    row = one(db, "SELECT * FROM bulletin_issues WHERE year = ? AND number = ?", [year, number])
    return _issue(row) if row else None


def list_issues(db: Database, limit: int = 30) -> list[Issue]:
    """The latest issues, newest first."""
    rows = select(db, "SELECT * FROM bulletin_issues ORDER BY id DESC LIMIT ?", [limit])
    return [_issue(r) for r in rows]


def issue_parts(db: Database, issue_id: int, lang: str) -> list[str]:
    """An issue's frozen parts in one language, in order."""
    rows = select(
        db,
        "SELECT text FROM bulletin_parts WHERE issue_id = ? AND lang = ? ORDER BY n",
        [issue_id, lang],
    )
    return [r["text"] for r in rows]


def get_schedule(db: Database) -> Schedule | None:
    """The bulletin schedule, if one is set."""
    row = one(db, "SELECT * FROM bulletin_schedule WHERE id = 1")
    if row is None:
        return None
    return Schedule(row["freq"], row["day"], row["at"], bool(row["approve"]))


def set_schedule(db: Database, rule: Schedule | None, now: datetime, by_user: int | None) -> None:
    """Store (or with None, clear) the bulletin schedule."""
    if rule is None:
        db.execute("DELETE FROM bulletin_schedule WHERE id = 1")
        return
    db.execute(
        """INSERT INTO bulletin_schedule (id, freq, day, at, approve, updated_at, updated_by)
           VALUES (1, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET freq = excluded.freq, day = excluded.day,
               at = excluded.at, approve = excluded.approve, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by""",
        [rule.freq, rule.day, rule.at, int(rule.approve), utc_iso(now), by_user],
    )


def _approval(row: dict[str, Any]) -> Approval:
    return Approval(row["id"], row["run_ref"], row["state"], row["decided_by"], row["issue_id"])


def create_approval(db: Database, run_ref: str, now: datetime) -> Approval:
    """Open (or find) the approval request of one scheduled run."""
    db.execute(
        "INSERT OR IGNORE INTO bulletin_approvals (run_ref, created_at) VALUES (?, ?)",
        [run_ref, utc_iso(now)],
    )
    row = one(db, "SELECT * FROM bulletin_approvals WHERE run_ref = ?", [run_ref])
    assert row is not None
    return _approval(row)


def get_approval(db: Database, approval_id: int) -> Approval | None:
    """An approval request by id."""
    row = one(db, "SELECT * FROM bulletin_approvals WHERE id = ?", [approval_id])
    return _approval(row) if row else None


def decide_approval(
    db: Database, approval_id: int, state: str, by_user: int, now: datetime
) -> bool:
    """Approve or hold a pending request; False when it was already decided."""
    cursor = db.execute(
        """UPDATE bulletin_approvals SET state = ?, decided_by = ?, decided_at = ?
           WHERE id = ? AND state = 'pending'""",
        [state, by_user, utc_iso(now), approval_id],
    )
    return cursor.rowcount > 0


def attach_issue(db: Database, approval_id: int, issue_id: int) -> None:
    """Record which issue an approval published."""
    db.execute("UPDATE bulletin_approvals SET issue_id = ? WHERE id = ?", [issue_id, approval_id])
