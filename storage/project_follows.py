"""The units following each project (`project_follows`): their staff log on it.

The table's migration is the register's (storage/projects.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.db import one, select, utc_iso


def follow(db: Database, code: str, unit_code: str, now: datetime) -> bool:
    """A unit starts following a project; False if it already did."""
    cursor = db.execute(
        """INSERT OR IGNORE INTO project_follows (project_code, unit_code, created_at)
           VALUES (?, ?, ?)""",
        [code.upper(), unit_code.upper(), utc_iso(now)],
    )
    return cursor.rowcount > 0


def unfollow(db: Database, code: str, unit_code: str) -> bool:
    """A unit stops following a project; False if it did not."""
    cursor = db.execute(
        "DELETE FROM project_follows WHERE project_code = ? AND unit_code = ?", [code, unit_code]
    )
    return cursor.rowcount > 0


def followers(db: Database, code: str) -> list[str]:
    """Codes of the units following a project."""
    rows = select(
        db,
        "SELECT unit_code FROM project_follows WHERE project_code = ? ORDER BY unit_code",
        [code],
    )
    return [r["unit_code"] for r in rows]


def is_follower(db: Database, code: str, unit_code: str | None) -> bool:
    """Whether a unit follows a project."""
    if not unit_code:
        return False
    row = one(
        db,
        "SELECT 1 AS x FROM project_follows WHERE project_code = ? AND unit_code = ?",
        [code, unit_code],
    )
    return row is not None


def all_follows(db: Database) -> list[tuple[str, str]]:
    """Every (project code, unit code) pair of active projects."""
    rows = select(
        db,
        """SELECT f.project_code, f.unit_code FROM project_follows f
           JOIN projects p ON p.code = f.project_code
           WHERE p.stage NOT IN ('exited', 'terminated') ORDER BY f.unit_code, f.project_code""",
    )
    return [(r["project_code"], r["unit_code"]) for r in rows]
