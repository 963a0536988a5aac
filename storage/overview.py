"""Aggregate reads for the programme overview (dashboard, /stats): counts, not rows.

Everything here only reads; each function is one query over indexed columns so the
overview stays cheap at thousands of entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlite_utils import Database

from storage.db import select

# Columns of `projects` that may be counted by value (names, never user input).
_COUNTABLE = ("stage", "category", "tier")


def has_column(db: Database, table: str, column: str) -> bool:
    """Whether a table has a column (tiers exist only once a migration adds them)."""
    return any(r["name"] == column for r in select(db, f"PRAGMA table_info({table})"))


def project_counts(db: Database, column: str) -> dict[str, int]:
    """Projects per value of a column (stage, category or tier); {} when it does not exist."""
    if column not in _COUNTABLE or not has_column(db, "projects", column):
        return {}
    rows = select(
        db,
        f"SELECT COALESCE({column}, '') AS v, COUNT(*) AS n FROM projects GROUP BY v",  # noqa: S608
    )
    return {str(r["v"]): int(r["n"]) for r in rows}


def entries_by_unit(db: Database, after_id: int, upto_id: int | None) -> dict[str, int]:
    """Live entries per author unit with ids in (after_id, upto_id] (None: no upper end)."""
    sql = """SELECT UPPER(COALESCE(author_unit, '')) AS unit, COUNT(*) AS n
             FROM progress_entries WHERE withdrawn_at IS NULL AND id > ?"""
    params: list[object] = [after_id]
    if upto_id is not None:
        sql += " AND id <= ?"
        params.append(upto_id)
    rows = select(db, sql + " GROUP BY unit", params)
    return {r["unit"]: int(r["n"]) for r in rows}


def following_units(db: Database) -> dict[str, int]:
    """Units following at least one active project, with how many they follow."""
    rows = select(
        db,
        """SELECT UPPER(f.unit_code) AS unit, COUNT(*) AS n FROM project_follows f
           JOIN projects p ON p.code = f.project_code
           WHERE p.stage NOT IN ('exited', 'terminated') GROUP BY UPPER(f.unit_code)""",
    )
    return {r["unit"]: int(r["n"]) for r in rows}


def overdue_by_unit(db: Database, today: date) -> dict[str, int]:
    """Open actions past due per owning unit (a person's unit for personal ones; '' none)."""
    rows = select(
        db,
        """SELECT UPPER(COALESCE(a.owner_unit, p.unit_code, '')) AS unit, COUNT(*) AS n
           FROM actions a LEFT JOIN people p ON p.user_id = a.owner_user
           WHERE a.state = 'open' AND a.due < ? GROUP BY unit""",
        [today.isoformat()],
    )
    return {r["unit"]: int(r["n"]) for r in rows}


def open_actions_by_unit(db: Database) -> dict[str, int]:
    """Open actions per owning unit, overdue or not."""
    rows = select(
        db,
        """SELECT UPPER(COALESCE(a.owner_unit, p.unit_code, '')) AS unit, COUNT(*) AS n
           FROM actions a LEFT JOIN people p ON p.user_id = a.owner_user
           WHERE a.state = 'open' GROUP BY unit""",
    )
    return {r["unit"]: int(r["n"]) for r in rows}


def recorded_attendance(
    db: Database, meeting_ids: Sequence[int]
) -> dict[tuple[int, str], set[str]]:
    """Units recorded present per sitting (meeting id, occurrence key) of these meetings."""
    if not meeting_ids:
        return {}
    marks = ",".join("?" for _ in meeting_ids)
    rows = select(
        db,
        f"""SELECT meeting_id, occ, UPPER(unit_code) AS unit FROM minutes_attendance
            WHERE meeting_id IN ({marks})""",  # noqa: S608
        list(meeting_ids),
    )
    out: dict[tuple[int, str], set[str]] = {}
    for r in rows:
        out.setdefault((r["meeting_id"], r["occ"]), set()).add(r["unit"])
    return out


def rsvp_attendance(db: Database, meeting_ids: Sequence[int]) -> dict[tuple[int, str], set[str]]:
    """Units that answered attend or delegate, per sitting of these meetings."""
    if not meeting_ids:
        return {}
    marks = ",".join("?" for _ in meeting_ids)
    rows = select(
        db,
        f"""SELECT meeting_id, occ, UPPER(unit_code) AS unit FROM rsvps
            WHERE meeting_id IN ({marks}) AND unit_code IS NOT NULL
            AND answer IN ('attend', 'delegate')""",  # noqa: S608
        list(meeting_ids),
    )
    out: dict[tuple[int, str], set[str]] = {}
    for r in rows:
        out.setdefault((r["meeting_id"], r["occ"]), set()).add(r["unit"])
    return out


def open_risk_starts(db: Database) -> list[tuple[int, str, str]]:
    """(entry id, project code, created_at) of every live risk not closed, oldest first.

    Plain tuples: the overview only counts them by age (thousands of rows at scale).
    """
    cursor = db.execute(
        """SELECT e.id, e.project_code, e.created_at FROM progress_entries e
           WHERE e.withdrawn_at IS NULL AND e.tags LIKE '% risk %'
           AND NOT EXISTS (SELECT 1 FROM risk_closures c
               JOIN progress_entries r ON r.id = c.closing_id
               WHERE c.risk_id = e.id AND r.withdrawn_at IS NULL)
           ORDER BY e.id"""
    )
    return [(int(r[0]), str(r[1]), str(r[2])) for r in cursor.fetchall()]
