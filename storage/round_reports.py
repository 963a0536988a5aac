"""Reports in reporting rounds: a unit's report on one project in one round (`round_reports`).

A report points at the progress entry it was logged as; a report whose entry was withdrawn
no longer counts (`reports` leaves it out), and the unit may report again. The table is
created by the rounds migrations (storage/rounds.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_iso, one, select, utc_iso


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
