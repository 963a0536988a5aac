"""Read-only queries gathering one project's whole record for its dossier (案例档案)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from storage.attachments import Attachment
from storage.changes import PlanChange
from storage.db import from_iso, select
from storage.evaluations import Result
from storage.progress import Entry, _entry
from storage.project_stages import StageChange, _change
from storage.projects import Project


@dataclass(frozen=True)
class Minuted:
    """A decision or action item recorded on an agenda item about the project."""

    kind: str  # 'decision' or 'action'
    id: int
    text: str
    at: datetime
    due: str = ""
    state: str = ""


Section = tuple[str, list[str]]  # (heading, plain-text lines), already in the right language


@dataclass(frozen=True)
class Dossier:
    """Everything on record about one project."""

    project: Project
    followers: list[str]
    unit_names: dict[str, str]
    stages: list[StageChange]
    entries: list[Entry]
    open_risks: list[int]
    result: Result | None
    evaluators: int
    minuted: list[Minuted]
    files: list[Attachment]
    changes: list[PlanChange] = field(default_factory=list)  # plan-change requests, oldest first
    extra: list[Section] = field(default_factory=list)


def stage_history(db: Database, code: str) -> list[StageChange]:
    """Every stage change of a project, oldest first."""
    rows = select(db, "SELECT * FROM stage_changes WHERE project_code = ? ORDER BY id", [code])
    return [_change(r) for r in rows]


def entries(db: Database, code: str) -> list[Entry]:
    """Every live progress entry of a project, oldest first."""
    rows = select(
        db,
        "SELECT * FROM progress_entries WHERE project_code = ? AND withdrawn_at IS NULL "
        "ORDER BY created_at, id",
        [code],
    )
    return [_entry(r) for r in rows]


def minuted(db: Database, code: str) -> list[Minuted]:
    """Decisions and action items on agenda items about the project, oldest first."""
    rows = select(
        db,
        """SELECT 'decision' AS kind, d.id AS id, d.text AS text, d.recorded_at AS at,
                  '' AS due, '' AS state
             FROM decisions d JOIN agenda_items a ON a.id = d.item_id
            WHERE a.project = ? COLLATE NOCASE
           UNION ALL
           SELECT 'action', t.id, t.text, t.created_at, t.due, t.state
             FROM actions t JOIN agenda_items a ON a.id = t.item_id
            WHERE a.project = ? COLLATE NOCASE
           ORDER BY at, kind, id""",
        [code, code],
    )
    return [
        Minuted(r["kind"], r["id"], r["text"], from_iso(r["at"]), r["due"], r["state"])  # type: ignore[arg-type]
        for r in rows
    ]
