"""Votes by unit on an agenda item (表决): one vote per item of a sitting, one ballot per unit.

A ballot is the unit's choice, cast by any of its people; casting again replaces it (the
person who cast it last is kept) until the vote closes. Closing records the units that
could vote at that moment (`units`), so the result in the minutes never changes after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

Choice = Literal["agree", "against", "abstain"]
CHOICES: tuple[Choice, ...] = ("agree", "against", "abstain")

migrations = Migrations("coordbot.votes")


@migrations()
def m001_votes(db: Database) -> None:
    """Votes and the units' ballots."""
    db.execute(
        """CREATE TABLE votes (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            item_id INTEGER NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            opened_by INTEGER NOT NULL,
            opened_at TEXT NOT NULL,
            posts INTEGER NOT NULL DEFAULT 0,
            closed_by INTEGER,
            closed_at TEXT,
            units TEXT,
            UNIQUE (meeting_id, occ, item_id)
        )"""
    )
    db.execute(
        """CREATE TABLE vote_ballots (
            vote_id INTEGER NOT NULL REFERENCES votes(id),
            unit_code TEXT NOT NULL COLLATE NOCASE,
            choice TEXT NOT NULL CHECK (choice IN ('agree', 'against', 'abstain')),
            cast_by INTEGER NOT NULL,
            cast_at TEXT NOT NULL,
            PRIMARY KEY (vote_id, unit_code)
        )"""
    )


@dataclass(frozen=True)
class Vote:
    """A vote on one agenda item; `units` (the units that could vote) is set when closed."""

    id: int
    meeting_id: int
    occ: str
    item_id: int
    question: str
    opened_at: datetime
    closed_at: datetime | None
    units: tuple[str, ...]

    @property
    def closed(self) -> bool:
        """Whether the vote is frozen."""
        return self.closed_at is not None


@dataclass(frozen=True)
class Ballot:
    """A unit's choice, with who cast it last and when."""

    unit_code: str
    choice: Choice
    cast_by: int
    cast_at: datetime


def _vote(row: dict[str, Any]) -> Vote:
    opened = from_iso(row["opened_at"])
    assert opened is not None
    units = tuple(c for c in (row["units"] or "").split(",") if c)
    return Vote(
        row["id"],
        row["meeting_id"],
        row["occ"],
        row["item_id"],
        row["question"],
        opened,
        from_iso(row["closed_at"]),
        units,
    )


def open_vote(
    db: Database, meeting_id: int, occ: str, item_id: int, question: str, by: int, now: datetime
) -> Vote:
    """Open the vote on an item (or return the one already there, open or closed)."""
    db.execute(
        """INSERT OR IGNORE INTO votes (meeting_id, occ, item_id, question, opened_by, opened_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [meeting_id, occ, item_id, question, by, utc_iso(now)],
    )
    found = on_item(db, meeting_id, occ, item_id)
    assert found is not None
    return found


def on_item(db: Database, meeting_id: int, occ: str, item_id: int) -> Vote | None:
    """The vote on an item of a sitting, if one was opened."""
    row = one(
        db,
        "SELECT * FROM votes WHERE meeting_id = ? AND occ = ? AND item_id = ?",
        [meeting_id, occ, item_id],
    )
    return _vote(row) if row else None


def get(db: Database, vote_id: int) -> Vote | None:
    """A vote by id."""
    row = one(db, "SELECT * FROM votes WHERE id = ?", [vote_id])
    return _vote(row) if row else None


def of_sitting(db: Database, meeting_id: int, occ: str) -> list[Vote]:
    """Every vote of a sitting, in the order opened."""
    rows = select(
        db, "SELECT * FROM votes WHERE meeting_id = ? AND occ = ? ORDER BY id", [meeting_id, occ]
    )
    return [_vote(r) for r in rows]


def next_post(db: Database, vote_id: int) -> int:
    """Count one more posting of the vote's card; return its number (1, 2, ...)."""
    db.execute("UPDATE votes SET posts = posts + 1 WHERE id = ?", [vote_id])
    row = one(db, "SELECT posts FROM votes WHERE id = ?", [vote_id])
    assert row is not None
    return int(row["posts"])


def cast(db: Database, vote_id: int, unit: str, choice: Choice, by: int, now: datetime) -> None:
    """Record or replace a unit's ballot."""
    db.execute(
        """INSERT INTO vote_ballots (vote_id, unit_code, choice, cast_by, cast_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (vote_id, unit_code) DO UPDATE SET
               choice = excluded.choice, cast_by = excluded.cast_by, cast_at = excluded.cast_at""",
        [vote_id, unit.upper(), choice, by, utc_iso(now)],
    )


def ballots(db: Database, vote_id: int) -> list[Ballot]:
    """The units' ballots, by unit code."""
    rows = select(db, "SELECT * FROM vote_ballots WHERE vote_id = ? ORDER BY unit_code", [vote_id])
    out = []
    for r in rows:
        at = from_iso(r["cast_at"])
        assert at is not None
        out.append(Ballot(r["unit_code"].upper(), r["choice"], r["cast_by"], at))
    return out


def close(db: Database, vote_id: int, units: list[str], by: int, now: datetime) -> bool:
    """Freeze an open vote, recording the units that could vote; False if already closed."""
    cursor = db.execute(
        "UPDATE votes SET closed_at = ?, closed_by = ?, units = ? "
        "WHERE id = ? AND closed_at IS NULL",
        [utc_iso(now), by, ",".join(c.upper() for c in units), vote_id],
    )
    return cursor.rowcount > 0


@dataclass(frozen=True)
class Result:
    """A closed vote and the ballots of the units that could vote."""

    vote: Vote
    ballots: list[Ballot]


def results(db: Database, meeting_id: int, occ: str) -> list[Result]:
    """The closed votes of a sitting with their counted ballots, in the order opened."""
    return [
        Result(v, [b for b in ballots(db, v.id) if b.unit_code in v.units])
        for v in of_sitting(db, meeting_id, occ)
        if v.closed
    ]


def still_open(db: Database, meeting_id: int, occ: str) -> list[Vote]:
    """The votes of a sitting not closed yet."""
    return [v for v in of_sitting(db, meeting_id, occ) if not v.closed]
