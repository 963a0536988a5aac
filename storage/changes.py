"""Plan-change requests (方案变更) on projects and their review: pending, approved, rejected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso
from storage.search_index import Source, install

migrations = Migrations("coordbot.changes")


@migrations()
def m001_plan_changes(db: Database) -> None:
    """Plan-change requests with their decision."""
    db.execute(
        """CREATE TABLE plan_changes (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            what TEXT NOT NULL,
            why TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            by_user INTEGER NOT NULL,
            by_unit TEXT,
            at TEXT NOT NULL,
            decided_by INTEGER,
            decided_at TEXT,
            reason TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX plan_changes_project ON plan_changes(project_code, id)")


@dataclass(frozen=True)
class PlanChange:
    """A request to change a project's plan, and what was decided."""

    id: int
    project_code: str
    what: str
    why: str
    state: str  # pending, approved, rejected
    by_user: int
    by_unit: str | None
    at: datetime
    decided_by: int | None
    decided_at: datetime | None
    reason: str


def _change(row: dict[str, Any]) -> PlanChange:
    return PlanChange(
        id=row["id"],
        project_code=row["project_code"],
        what=row["what"],
        why=row["why"],
        state=row["state"],
        by_user=row["by_user"],
        by_unit=row["by_unit"],
        at=from_iso(row["at"]),  # type: ignore[arg-type]
        decided_by=row["decided_by"],
        decided_at=from_iso(row["decided_at"]),
        reason=row["reason"],
    )


def add(
    db: Database,
    *,
    project_code: str,
    what: str,
    why: str,
    by_user: int,
    by_unit: str | None,
    now: datetime,
) -> PlanChange:
    """File a pending request."""
    cursor = db.execute(
        """INSERT INTO plan_changes (project_code, what, why, by_user, by_unit, at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [project_code, what, why, by_user, by_unit, utc_iso(now)],
    )
    found = get(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def get(db: Database, change_id: int) -> PlanChange | None:
    """A request by number."""
    row = one(db, "SELECT * FROM plan_changes WHERE id = ?", [change_id])
    return _change(row) if row else None


def decide(
    db: Database, change_id: int, state: str, reason: str, by_user: int, now: datetime
) -> bool:
    """Approve or reject a pending request; False when it was no longer pending."""
    cursor = db.execute(
        """UPDATE plan_changes SET state = ?, reason = ?, decided_by = ?, decided_at = ?
           WHERE id = ? AND state = 'pending'""",
        [state, reason, by_user, utc_iso(now), change_id],
    )
    return cursor.rowcount > 0


def listing(db: Database, project_code: str | None = None, limit: int = 50) -> list[PlanChange]:
    """Requests, newest first; of one project when named."""
    if project_code:
        rows = select(
            db,
            "SELECT * FROM plan_changes WHERE project_code = ? ORDER BY id DESC LIMIT ?",
            [project_code, limit],
        )
    else:
        rows = select(db, "SELECT * FROM plan_changes ORDER BY id DESC LIMIT ?", [limit])
    return [_change(r) for r in rows]


def approved(db: Database, project_code: str) -> list[PlanChange]:
    """A project's approved changes, oldest first (its card and timeline)."""
    rows = select(
        db,
        """SELECT * FROM plan_changes WHERE project_code = ? AND state = 'approved'
           ORDER BY id""",
        [project_code],
    )
    return [_change(r) for r in rows]


# Plan changes are found by /search: registered once the search index exists (its
# migrations apply before these; storage/schema.py lists them in that order).
SEARCH_SOURCE = Source(
    "change",
    "plan_changes",
    "t.id",
    "t.project_code",
    "t.at",
    "t.project_code",
    "t.what || ' ' || t.why || ' ' || t.reason",
)


@migrations()
def m002_search_plan_changes(db: Database) -> None:
    """Index plan-change requests for /search (triggers and the rows already there)."""
    install(db, SEARCH_SOURCE)
