"""Scheduled work: reminders, bulletin runs, nudges, each a row with a due time and a state.

The in-memory scheduler is rebuilt from these rows at start-up; a row is marked done in
the same transaction as the messages its firing queues, so a crash can never fire it twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

JobState = Literal["pending", "done", "missed", "cancelled"]

migrations = Migrations("coordbot.schedule")


@migrations()
def m001_schedule(db: Database) -> None:
    """The schedule table."""
    db.execute(
        """CREATE TABLE schedule (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            due_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            created_at TEXT NOT NULL,
            fired_at TEXT,
            note TEXT,
            UNIQUE (kind, ref)
        )"""
    )
    db.execute("CREATE INDEX schedule_pending ON schedule(state, due_at)")


@dataclass(frozen=True)
class Job:
    """One piece of scheduled work."""

    id: int
    kind: str
    ref: str
    due_at: datetime
    state: JobState
    note: str | None


def _job(row: dict) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        ref=row["ref"],
        due_at=from_iso(row["due_at"]),  # type: ignore[arg-type]
        state=row["state"],
        note=row["note"],
    )


def put(db: Database, kind: str, ref: str, due_at: datetime, now: datetime) -> Job:
    """Create a pending job, or move a still-pending one to a new due time."""
    db.execute(
        """INSERT INTO schedule (kind, ref, due_at, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(kind, ref) DO UPDATE SET due_at = excluded.due_at
           WHERE schedule.state = 'pending'""",
        [kind, ref, utc_iso(due_at), utc_iso(now)],
    )
    row = one(db, "SELECT * FROM schedule WHERE kind = ? AND ref = ?", [kind, ref])
    assert row is not None
    return _job(row)


def get(db: Database, job_id: int) -> Job | None:
    """A job by id."""
    row = one(db, "SELECT * FROM schedule WHERE id = ?", [job_id])
    return _job(row) if row else None


def find(db: Database, kind: str, ref: str) -> Job | None:
    """A job by kind and ref."""
    row = one(db, "SELECT * FROM schedule WHERE kind = ? AND ref = ?", [kind, ref])
    return _job(row) if row else None


def find_many(db: Database, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Job]:
    """Jobs by (kind, ref), several in one statement; pairs with no row are left out."""
    if not pairs:
        return {}
    kinds, refs = sorted({k for k, _ in pairs}), sorted({r for _, r in pairs})
    rows = select(
        db,
        f"""SELECT * FROM schedule WHERE kind IN ({",".join("?" for _ in kinds)})
            AND ref IN ({",".join("?" for _ in refs)})""",
        [*kinds, *refs],
    )
    jobs = {(job.kind, job.ref): job for job in map(_job, rows)}
    return {pair: jobs[pair] for pair in pairs if pair in jobs}


def pending(db: Database) -> list[Job]:
    """Every pending job, earliest first."""
    rows = select(db, "SELECT * FROM schedule WHERE state = 'pending' ORDER BY due_at, id")
    return [_job(r) for r in rows]


def pending_of_kinds(db: Database, kinds: tuple[str, ...]) -> list[Job]:
    """Every pending job of these kinds, earliest first (a start-up pass reads them once)."""
    marks = ",".join("?" for _ in kinds)
    rows = select(
        db,
        f"SELECT * FROM schedule WHERE state = 'pending' AND kind IN ({marks}) ORDER BY due_at",
        list(kinds),
    )
    return [_job(r) for r in rows]


def due_between(db: Database, after: datetime, until: datetime) -> list[Job]:
    """Pending jobs due after one instant and at or before another, earliest first."""
    rows = select(
        db,
        """SELECT * FROM schedule WHERE state = 'pending' AND due_at > ? AND due_at <= ?
           ORDER BY due_at, id""",
        [utc_iso(after), utc_iso(until)],
    )
    return [_job(r) for r in rows]


def due_by(db: Database, moment: datetime) -> list[Job]:
    """Pending jobs due at or before an instant, earliest first."""
    rows = select(
        db,
        "SELECT * FROM schedule WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id",
        [utc_iso(moment)],
    )
    return [_job(r) for r in rows]


def pending_with_prefix(db: Database, kind: str, ref_prefix: str) -> list[Job]:
    """Pending jobs of a kind whose ref starts with a prefix."""
    rows = select(
        db,
        """SELECT * FROM schedule WHERE state = 'pending' AND kind = ?
           AND ref >= ? AND ref < ? ORDER BY due_at""",
        [kind, ref_prefix, ref_prefix + "\uffff"],
    )
    return [_job(r) for r in rows]


def pending_with_prefix_of_kinds(
    db: Database, kinds: tuple[str, ...], ref_prefix: str
) -> list[Job]:
    """Pending jobs of these kinds whose ref starts with a prefix, earliest first."""
    marks = ",".join("?" for _ in kinds)
    rows = select(
        db,
        f"""SELECT * FROM schedule WHERE state = 'pending' AND kind IN ({marks})
            AND ref >= ? AND ref < ? ORDER BY due_at""",
        [*kinds, ref_prefix, ref_prefix + "\uffff"],
    )
    return [_job(r) for r in rows]


def finish(
    db: Database, job_id: int, state: JobState, now: datetime, note: str | None = None
) -> bool:
    """Close a pending job; False if it was not pending any more."""
    cursor = db.execute(
        "UPDATE schedule SET state = ?, fired_at = ?, note = ? WHERE id = ? AND state = 'pending'",
        [state, utc_iso(now), note, job_id],
    )
    return cursor.rowcount > 0


def counts(db: Database) -> dict[str, int]:
    """Number of jobs in each state."""
    rows = select(db, "SELECT state, COUNT(*) AS n FROM schedule GROUP BY state")
    return {r["state"]: r["n"] for r in rows}
