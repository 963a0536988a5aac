"""Reporting rounds: each round, the (project, unit) pairs it asked, the reports that came
in, and the schedules that open rounds by themselves.

A report points at the progress entry it was logged as; a report whose entry was withdrawn
no longer counts (`reports` leaves it out), and the unit may report again.
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


@dataclass(frozen=True)
class Report:
    """A unit's report on one project in one round."""

    id: int
    round_id: int
    project_code: str
    unit_code: str
    entry_id: int
    author_id: int
    coordination: str
    late: bool
    created_at: datetime
    agenda_meeting_id: int | None
    agenda_item_id: int | None


@dataclass(frozen=True)
class RoundSchedule:
    """Rounds opened by themselves: weekly on a weekday (0 = Monday) or monthly on a day."""

    id: int
    freq: str
    day: int
    at: str
    deadline: str
    scope: str
    created_at: datetime


def _round(row: dict[str, Any]) -> Round:
    return Round(
        id=row["id"],
        scope=row["scope"],
        opened_at=from_iso(row["opened_at"]),  # type: ignore[arg-type]
        deadline_at=from_iso(row["deadline_at"]),  # type: ignore[arg-type]
        opened_by=row["opened_by"],
        schedule_id=row["schedule_id"],
    )


def _report(row: dict[str, Any]) -> Report:
    return Report(
        id=row["id"],
        round_id=row["round_id"],
        project_code=row["project_code"],
        unit_code=row["unit_code"],
        entry_id=row["entry_id"],
        author_id=row["author_id"],
        coordination=row["coordination"],
        late=bool(row["late"]),
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
        agenda_meeting_id=row["agenda_meeting_id"],
        agenda_item_id=row["agenda_item_id"],
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


_LIVE = """EXISTS (SELECT 1 FROM progress_entries e
    WHERE e.id = p.entry_id AND e.withdrawn_at IS NULL)"""


def reports(db: Database, round_id: int) -> list[Report]:
    """A round's reports whose entries still count, oldest first."""
    rows = select(
        db, f"SELECT * FROM round_reports p WHERE round_id = ? AND {_LIVE} ORDER BY id", [round_id]
    )
    return [_report(r) for r in rows]


def report_of(db: Database, round_id: int, project_code: str, unit_code: str) -> Report | None:
    """The report a unit made on a project in a round (its entry may have been withdrawn)."""
    row = one(
        db,
        """SELECT * FROM round_reports
           WHERE round_id = ? AND project_code = ? AND unit_code = ?""",
        [round_id, project_code, unit_code],
    )
    return _report(row) if row else None


def is_live(db: Database, report: Report) -> bool:
    """Whether a report's progress entry still counts (it was not withdrawn)."""
    return (
        one(db, f"SELECT 1 AS x FROM round_reports p WHERE id = ? AND {_LIVE}", [report.id])
        is not None
    )


def get_report(db: Database, report_id: int) -> Report | None:
    """A report by number."""
    row = one(db, "SELECT * FROM round_reports WHERE id = ?", [report_id])
    return _report(row) if row else None


def add_report(
    db: Database,
    *,
    round_id: int,
    project_code: str,
    unit_code: str,
    entry_id: int,
    author_id: int,
    coordination: str,
    late: bool,
    now: datetime,
) -> Report:
    """Record a report; one whose entry was withdrawn is replaced."""
    db.execute(
        "DELETE FROM round_reports WHERE round_id = ? AND project_code = ? AND unit_code = ?",
        [round_id, project_code, unit_code],
    )
    cursor = db.execute(
        """INSERT INTO round_reports (round_id, project_code, unit_code, entry_id, author_id,
                                      coordination, late, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            round_id,
            project_code.upper(),
            unit_code.upper(),
            entry_id,
            author_id,
            coordination,
            int(late),
            utc_iso(now),
        ],
    )
    found = get_report(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def set_agenda_item(db: Database, report_id: int, meeting_id: int, item_id: int) -> bool:
    """Record the agenda item a report's coordination request became; False if it had one."""
    cursor = db.execute(
        """UPDATE round_reports SET agenda_meeting_id = ?, agenda_item_id = ?
           WHERE id = ? AND agenda_item_id IS NULL""",
        [meeting_id, item_id, report_id],
    )
    return cursor.rowcount > 0


# --- schedules ----------------------------------------------------------------------------


def _schedule(row: dict[str, Any]) -> RoundSchedule:
    return RoundSchedule(
        id=row["id"],
        freq=row["freq"],
        day=row["day"],
        at=row["at"],
        deadline=row["deadline"],
        scope=row["scope"],
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
    )


def add_schedule(
    db: Database,
    *,
    freq: str,
    day: int,
    at: str,
    deadline: str,
    scope: str,
    by_user: int | None,
    now: datetime,
) -> RoundSchedule:
    """Store a schedule that opens rounds by itself."""
    cursor = db.execute(
        """INSERT INTO round_schedules (freq, day, at, deadline, scope, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [freq, day, at, deadline, scope, by_user, utc_iso(now)],
    )
    found = get_schedule(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def get_schedule(db: Database, schedule_id: int) -> RoundSchedule | None:
    """A schedule still in force, by number."""
    row = one(
        db, "SELECT * FROM round_schedules WHERE id = ? AND stopped_at IS NULL", [schedule_id]
    )
    return _schedule(row) if row else None


def schedules(db: Database) -> list[RoundSchedule]:
    """Every schedule in force, by number."""
    rows = select(db, "SELECT * FROM round_schedules WHERE stopped_at IS NULL ORDER BY id")
    return [_schedule(r) for r in rows]


def stop_schedule(db: Database, schedule_id: int, now: datetime) -> bool:
    """Stop a schedule (kept for the rounds it opened); False if it was not in force."""
    cursor = db.execute(
        "UPDATE round_schedules SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL",
        [utc_iso(now), schedule_id],
    )
    return cursor.rowcount > 0
