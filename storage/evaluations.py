"""Professional evaluation: evaluators, their score sets, and each project's closed result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, scalar, select, utc_iso

DIMENSIONS = ("innovation", "insight", "risk_control", "protection")

migrations = Migrations("coordbot.evaluations")


@migrations()
def m001_evaluations(db: Database) -> None:
    """Evaluators, scores and results."""
    db.execute(
        """CREATE TABLE evaluators (
            user_id INTEGER PRIMARY KEY,
            since TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE evaluation_scores (
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            evaluator_id INTEGER NOT NULL,
            innovation INTEGER NOT NULL CHECK (innovation BETWEEN 1 AND 5),
            insight INTEGER NOT NULL CHECK (insight BETWEEN 1 AND 5),
            risk_control INTEGER NOT NULL CHECK (risk_control BETWEEN 1 AND 5),
            protection INTEGER NOT NULL CHECK (protection BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (project_code, evaluator_id)
        )"""
    )
    db.execute(
        """CREATE TABLE evaluation_results (
            project_code TEXT PRIMARY KEY COLLATE NOCASE REFERENCES projects(code),
            count INTEGER NOT NULL,
            means TEXT NOT NULL,
            closed_at TEXT NOT NULL,
            closed_by INTEGER
        )"""
    )
    db.execute("CREATE INDEX evaluation_results_closed ON evaluation_results(closed_at)")


@dataclass(frozen=True)
class ScoreSet:
    """One evaluator's scores on one project."""

    project_code: str
    evaluator_id: int
    scores: tuple[int, int, int, int]
    comment: str
    updated_at: datetime


@dataclass(frozen=True)
class Result:
    """A closed evaluation round: how many scored and the mean per dimension."""

    project_code: str
    count: int
    means: tuple[float, float, float, float]
    closed_at: datetime

    @property
    def overall(self) -> float:
        """The mean of the four dimension means."""
        return sum(self.means) / len(self.means)


def set_evaluator(db: Database, user_id: int, on: bool, now: datetime) -> bool:
    """Mark or unmark an evaluator; False when nothing changed."""
    if on:
        cursor = db.execute(
            "INSERT OR IGNORE INTO evaluators (user_id, since) VALUES (?, ?)",
            [user_id, utc_iso(now)],
        )
    else:
        cursor = db.execute("DELETE FROM evaluators WHERE user_id = ?", [user_id])
    return cursor.rowcount > 0


def is_evaluator(db: Database, user_id: int) -> bool:
    """Whether someone is in the evaluation group."""
    return one(db, "SELECT 1 AS x FROM evaluators WHERE user_id = ?", [user_id]) is not None


def put_scores(
    db: Database,
    project_code: str,
    evaluator_id: int,
    scores: tuple[int, int, int, int],
    comment: str,
    now: datetime,
) -> bool:
    """Record or replace a score set; True when it replaced an earlier one."""
    existed = get_scores(db, project_code, evaluator_id) is not None
    db.execute(
        """INSERT INTO evaluation_scores (project_code, evaluator_id, innovation, insight,
               risk_control, protection, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(project_code, evaluator_id) DO UPDATE SET innovation = excluded.innovation,
               insight = excluded.insight, risk_control = excluded.risk_control,
               protection = excluded.protection, comment = excluded.comment,
               updated_at = excluded.updated_at""",
        [project_code, evaluator_id, *scores, comment, utc_iso(now)],
    )
    return existed


def _scores(row: dict[str, Any]) -> ScoreSet:
    return ScoreSet(
        project_code=row["project_code"],
        evaluator_id=row["evaluator_id"],
        scores=(row["innovation"], row["insight"], row["risk_control"], row["protection"]),
        comment=row["comment"],
        updated_at=from_iso(row["updated_at"]),  # type: ignore[arg-type]
    )


def get_scores(db: Database, project_code: str, evaluator_id: int) -> ScoreSet | None:
    """One evaluator's score set on a project."""
    row = one(
        db,
        "SELECT * FROM evaluation_scores WHERE project_code = ? AND evaluator_id = ?",
        [project_code, evaluator_id],
    )
    return _scores(row) if row else None


def all_scores(db: Database, project_code: str) -> list[ScoreSet]:
    """Every score set on a project, in the order they were first given."""
    rows = select(
        db, "SELECT * FROM evaluation_scores WHERE project_code = ? ORDER BY rowid", [project_code]
    )
    return [_scores(r) for r in rows]


def close_round(
    db: Database, project_code: str, now: datetime, by_user: int | None
) -> Result | None:
    """Freeze a project's round into a result; None when there are no scores."""
    sets = all_scores(db, project_code)
    if not sets:
        return None
    means = tuple(sum(s.scores[i] for s in sets) / len(sets) for i in range(4))
    db.execute(
        """INSERT INTO evaluation_results (project_code, count, means, closed_at, closed_by)
           VALUES (?, ?, ?, ?, ?)""",
        [project_code, len(sets), json.dumps(means), utc_iso(now), by_user],
    )
    return get_result(db, project_code)


def _result(row: dict[str, Any]) -> Result:
    means = json.loads(row["means"])
    return Result(
        project_code=row["project_code"],
        count=row["count"],
        means=(means[0], means[1], means[2], means[3]),
        closed_at=from_iso(row["closed_at"]),  # type: ignore[arg-type]
    )


def get_result(db: Database, project_code: str) -> Result | None:
    """A project's closed result, if its round closed."""
    row = one(db, "SELECT * FROM evaluation_results WHERE project_code = ?", [project_code])
    return _result(row) if row else None


def results_after(db: Database, after_id: int) -> list[Result]:
    """Results closed after the one with row id `after_id`, in order."""
    rows = select(
        db, "SELECT rowid, * FROM evaluation_results WHERE rowid > ? ORDER BY rowid", [after_id]
    )
    return [_result(r) for r in rows]


def max_result_id(db: Database) -> int:
    """The latest result's row id (a bulletin's watermark)."""
    return int(scalar(db, "SELECT MAX(rowid) FROM evaluation_results") or 0)
