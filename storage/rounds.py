"""Reporting rounds: each round and the (project, unit) pairs it asked.

The coordbot.rounds migrations create the rounds tables, the reports' and the schedules'
too; the reports that came in are read and written in storage/round_reports.py, the
schedules that open rounds by themselves in storage/round_schedules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

migrations = Migrations("coordbot.rounds")


@migrations()
def m001_rounds(db: Database) -> None:
    """Rounds, what each asked, the reports, and the round schedules."""
    db.execute(
        """CREATE TABLE round_schedules (
            id INTEGER PRIMARY KEY,
            freq TEXT NOT NULL CHECK (freq IN ('weekly', 'monthly')),
            day INTEGER NOT NULL,
            at TEXT NOT NULL,
            deadline TEXT NOT NULL,
            scope TEXT NOT NULL,
            created_by INTEGER,
            created_at TEXT NOT NULL,
            stopped_at TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE rounds (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            deadline_at TEXT NOT NULL,
            opened_by INTEGER,
            schedule_id INTEGER REFERENCES round_schedules(id)
        )"""
    )
    db.execute(
        """CREATE TABLE round_requests (
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            project_code TEXT NOT NULL COLLATE NOCASE,
            unit_code TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (round_id, project_code, unit_code)
        )"""
    )
    db.execute(
        "CREATE INDEX round_requests_unit ON round_requests(unit_code, project_code, round_id)"
    )
    db.execute(
        """CREATE TABLE round_reports (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES rounds(id),
            project_code TEXT NOT NULL COLLATE NOCASE,
            unit_code TEXT NOT NULL COLLATE NOCASE,
            entry_id INTEGER NOT NULL REFERENCES progress_entries(id),
            author_id INTEGER NOT NULL,
            coordination TEXT NOT NULL DEFAULT '',
            late INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            agenda_meeting_id INTEGER,
            agenda_item_id INTEGER,
            UNIQUE (round_id, project_code, unit_code)
        )"""
    )


@dataclass(frozen=True)
class Round:
    """One reporting round."""

    id: int
    scope: str
    opened_at: datetime
    deadline_at: datetime
    opened_by: int | None
    schedule_id: int | None


def _round(row: dict[str, Any]) -> Round:
    return Round(
        id=row["id"],
        scope=row["scope"],
        opened_at=from_iso(row["opened_at"]),  # type: ignore[arg-type]
        deadline_at=from_iso(row["deadline_at"]),  # type: ignore[arg-type]
        opened_by=row["opened_by"],
        schedule_id=row["schedule_id"],
    )


def create_round(
    db: Database,
    scope: str,
    opened_at: datetime,
    deadline_at: datetime,
    opened_by: int | None,
    schedule_id: int | None,
    asked: Iterable[tuple[str, str]],
) -> Round:
    """Open a round asking each (project, unit) pair."""
    cursor = db.execute(
        """INSERT INTO rounds (scope, opened_at, deadline_at, opened_by, schedule_id)
           VALUES (?, ?, ?, ?, ?)""",
        [scope, utc_iso(opened_at), utc_iso(deadline_at), opened_by, schedule_id],
    )
    round_id = int(cursor.lastrowid or 0)
    for project, unit in asked:
        db.execute(
            """INSERT OR IGNORE INTO round_requests (round_id, project_code, unit_code)
               VALUES (?, ?, ?)""",
            [round_id, project.upper(), unit.upper()],
        )
    found = get_round(db, round_id)
    assert found is not None
    return found


def get_round(db: Database, round_id: int) -> Round | None:
    """A round by number."""
    row = one(db, "SELECT * FROM rounds WHERE id = ?", [round_id])
    return _round(row) if row else None


def latest_round(db: Database) -> Round | None:
    """The round opened last."""
    row = one(db, "SELECT * FROM rounds ORDER BY id DESC LIMIT 1")
    return _round(row) if row else None


def last_rounds(db: Database, count: int) -> list[Round]:
    """The last `count` rounds, oldest first."""
    rows = select(db, "SELECT * FROM rounds ORDER BY id DESC LIMIT ?", [count])
    return [_round(r) for r in reversed(list(rows))]


def rounds_between(
    db: Database, deadline_after: datetime | None, opened_by: datetime
) -> list[Round]:
    """Rounds opened by an instant whose deadline falls after another (all, with None)."""
    rows = select(
        db,
        "SELECT * FROM rounds WHERE opened_at <= ? AND deadline_at > ? ORDER BY id",
        [utc_iso(opened_by), utc_iso(deadline_after) if deadline_after else ""],
    )
    return [_round(r) for r in rows]


def asked(db: Database, round_id: int) -> list[tuple[str, str]]:
    """The (project, unit) pairs a round asked, by unit then project."""
    rows = select(
        db,
        """SELECT project_code, unit_code FROM round_requests WHERE round_id = ?
           ORDER BY unit_code, project_code""",
        [round_id],
    )
    return [(r["project_code"], r["unit_code"]) for r in rows]


def latest_asking(db: Database, project_code: str, unit_code: str) -> Round | None:
    """The last round that asked this unit about this project."""
    row = one(
        db,
        """SELECT r.* FROM rounds r JOIN round_requests q ON q.round_id = r.id
           WHERE q.project_code = ? AND q.unit_code = ? ORDER BY r.id DESC LIMIT 1""",
        [project_code, unit_code],
    )
    return _round(row) if row else None
