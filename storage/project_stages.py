"""A project's moves along the lifecycle (`stage_changes`), recorded as they are made.

The stages themselves, their names and which moves are allowed are the register's
(storage/projects.py: STAGES, parse_stage, next_stages), as is the table's migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_iso, one, scalar, select, utc_iso
from storage.projects import get_project


@dataclass(frozen=True)
class StageChange:
    """One move along the lifecycle."""

    id: int
    project_code: str
    from_stage: str | None
    to_stage: str
    note: str
    at: datetime
    exit_way: str = ""


def set_stage(
    db: Database,
    code: str,
    stage: str,
    note: str,
    now: datetime,
    by_user: int | None,
    exit_way: str = "",
) -> StageChange:
    """Move a project to a stage and record the change (with the way out, for an exit);
    the caller checked the move."""
    project = get_project(db, code)
    assert project is not None
    db.execute("UPDATE projects SET stage = ? WHERE code = ?", [stage, code])
    cursor = db.execute(
        """INSERT INTO stage_changes (project_code, from_stage, to_stage, note, by_user, at,
                                      exit_way) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [project.code, project.stage, stage, note, by_user, utc_iso(now), exit_way],
    )
    return StageChange(
        int(cursor.lastrowid or 0), project.code, project.stage, stage, note, now, exit_way
    )


def _change(row: dict[str, Any]) -> StageChange:
    return StageChange(
        id=row["id"],
        project_code=row["project_code"],
        from_stage=row["from_stage"],
        to_stage=row["to_stage"],
        note=row["note"],
        at=from_iso(row["at"]),  # type: ignore[arg-type]
        exit_way=row.get("exit_way") or "",
    )


def get_change(db: Database, change_id: int) -> StageChange | None:
    """A stage change by number."""
    row = one(db, "SELECT * FROM stage_changes WHERE id = ?", [change_id])
    return _change(row) if row else None


def last_exit(db: Database, code: str) -> StageChange | None:
    """A project's move out of the pilot (exited or terminated), if it made one."""
    row = one(
        db,
        """SELECT * FROM stage_changes WHERE project_code = ?
           AND to_stage IN ('exited', 'terminated') ORDER BY id DESC LIMIT 1""",
        [code],
    )
    return _change(row) if row else None


def stage_changes_after(db: Database, after_id: int) -> list[StageChange]:
    """Stage changes recorded after the one numbered `after_id`, oldest first."""
    rows = select(db, "SELECT * FROM stage_changes WHERE id > ? ORDER BY id", [after_id])
    return [_change(r) for r in rows]


def max_change_id(db: Database) -> int:
    """The latest stage change's number (a bulletin's watermark)."""
    return int(scalar(db, "SELECT MAX(id) FROM stage_changes") or 0)
