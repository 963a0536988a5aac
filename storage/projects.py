"""Pilot projects: their register and its edit history.

The migrations create the tables of the units following a project and of its stage
changes too (storage/project_follows.py, storage/project_stages.py read and write them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

STAGES = ("solicitation", "selection", "evaluation", "running", "exited", "terminated")
FINAL_STAGES = ("exited", "terminated")
CATEGORIES = ("business", "public", "tech", "enablement")
STAGE_ALIASES = {
    "征集": "solicitation",
    "遴选": "selection",
    "专业评估": "evaluation",
    "评估": "evaluation",
    "试点运行": "running",
    "运行": "running",
    "退出": "exited",
    "完成退出": "exited",  # the exit mechanism's two ways out of a running pilot
    "主动退出": "exited",
    "exit": "exited",
    "终止": "terminated",
    "terminate": "terminated",
}
CATEGORY_ALIASES = {
    "业务创新": "business",
    "公共服务": "public",
    "技术创新": "tech",
    "科技赋能": "enablement",
}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")
# Supervision tiers of 分类分级管理, in the order bulletins and lists show them.
TIERS = ("key", "regular", "watch")
# The fields /project_edit may change (the code and the stage have their own ways).
EDITABLE = ("name", "category", "lead", "batch", "region")

migrations = Migrations("coordbot.projects")


@migrations()
def m001_projects(db: Database) -> None:
    """Projects, follows and stage changes."""
    db.execute(
        """CREATE TABLE projects (
            code TEXT PRIMARY KEY COLLATE NOCASE,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            lead TEXT NOT NULL,
            batch TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE project_follows (
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            unit_code TEXT NOT NULL COLLATE NOCASE REFERENCES units(code),
            created_at TEXT NOT NULL,
            PRIMARY KEY (project_code, unit_code)
        )"""
    )
    db.execute("CREATE INDEX project_follows_unit ON project_follows(unit_code)")
    db.execute(
        """CREATE TABLE stage_changes (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            from_stage TEXT,
            to_stage TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            by_user INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX stage_changes_at ON stage_changes(at)")
    db.execute("CREATE INDEX stage_changes_project ON stage_changes(project_code, id)")


@migrations()
def m002_record(db: Database) -> None:
    """A supervision tier per project, and the history of edits to the record."""
    db.execute("ALTER TABLE projects ADD COLUMN tier TEXT NOT NULL DEFAULT ''")
    db.execute(
        """CREATE TABLE project_history (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            field TEXT NOT NULL,
            old_value TEXT NOT NULL,
            new_value TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            by_user INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX project_history_project ON project_history(project_code, id)")


@migrations()
def m003_exit_way(db: Database) -> None:
    """How a project left the pilot (completed, withdrawn, terminated), on its final move."""
    db.execute("ALTER TABLE stage_changes ADD COLUMN exit_way TEXT NOT NULL DEFAULT ''")


@dataclass(frozen=True)
class Project:
    """A pilot project."""

    code: str
    name: str
    category: str
    lead: str
    batch: str
    region: str
    stage: str
    created_at: datetime
    tier: str = ""


@dataclass(frozen=True)
class FieldChange:
    """One edit of a project's record (a field or its tier): what it was, what it became."""

    id: int
    project_code: str
    field: str
    old_value: str
    new_value: str
    reason: str
    by_user: int | None
    at: datetime


def parse_stage(word: str) -> str | None:
    """A stage from its English or Chinese name (full-width letters too), or None."""
    key = unicodedata.normalize("NFKC", word).strip().lower()
    return key if key in STAGES else STAGE_ALIASES.get(key)


def parse_category(word: str) -> str | None:
    """A category from its English or Chinese name (full-width letters too), or None."""
    key = unicodedata.normalize("NFKC", word).strip().lower()
    return key if key in CATEGORIES else CATEGORY_ALIASES.get(key)


def next_stages(stage: str) -> list[str]:
    """Stages a project may move to: any later one, none out of a final stage."""
    if stage in FINAL_STAGES:
        return []
    return list(STAGES[STAGES.index(stage) + 1 :])


def _project(row: dict[str, Any]) -> Project:
    return Project(
        code=row["code"],
        name=row["name"],
        category=row["category"],
        lead=row["lead"],
        batch=row["batch"],
        region=row["region"],
        stage=row["stage"],
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
        tier=row.get("tier") or "",
    )


def add_project(
    db: Database,
    *,
    code: str,
    name: str,
    category: str,
    lead: str,
    batch: str,
    region: str,
    now: datetime,
    by_user: int | None,
) -> Project | None:
    """Register a project in the solicitation stage; None when the code is taken."""
    if get_project(db, code) is not None:
        return None
    db.execute(
        """INSERT INTO projects (code, name, category, lead, batch, region, stage, created_at,
                                 created_by) VALUES (?, ?, ?, ?, ?, ?, 'solicitation', ?, ?)""",
        [code.upper(), name, category, lead, batch, region, utc_iso(now), by_user],
    )
    return get_project(db, code)


def get_project(db: Database, code: str) -> Project | None:
    """A project by code, case-insensitive."""
    row = one(db, "SELECT * FROM projects WHERE code = ?", [code])
    return _project(row) if row else None


def list_projects(db: Database) -> list[Project]:
    """Every project by code."""
    return [_project(r) for r in select(db, "SELECT * FROM projects ORDER BY code")]


def set_field(
    db: Database,
    code: str,
    field: str,
    value: str,
    reason: str,
    now: datetime,
    by_user: int | None,
) -> FieldChange:
    """Change one field of the record (an EDITABLE field or "tier") and keep the old value."""
    if field not in EDITABLE and field != "tier":
        # The column name goes into the statement: only the known ones ever do.
        raise ValueError(f"not an editable project field: {field!r}")
    project = get_project(db, code)
    assert project is not None
    old = str(getattr(project, field))
    db.execute(f"UPDATE projects SET {field} = ? WHERE code = ?", [value, project.code])
    cursor = db.execute(
        """INSERT INTO project_history (project_code, field, old_value, new_value, reason,
                                        by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [project.code, field, old, value, reason, by_user, utc_iso(now)],
    )
    return FieldChange(
        int(cursor.lastrowid or 0), project.code, field, old, value, reason, by_user, now
    )


def history(db: Database, code: str) -> list[FieldChange]:
    """Every edit of a project's record, oldest first."""
    rows = select(db, "SELECT * FROM project_history WHERE project_code = ? ORDER BY id", [code])
    return [
        FieldChange(
            id=r["id"],
            project_code=r["project_code"],
            field=r["field"],
            old_value=r["old_value"],
            new_value=r["new_value"],
            reason=r["reason"],
            by_user=r["by_user"],
            at=from_iso(r["at"]),  # type: ignore[arg-type]
        )
        for r in rows
    ]
