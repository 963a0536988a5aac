"""RSVPs: each person's answer for one meeting occurrence (table created in storage.meetings).

An RSVP is keyed by meeting, occurrence key ('' for a one-off meeting, so it survives a
move; the occurrence's key, its UTC start under the rule, for a series) and person. The
unit is the person's unit at the time of answering, so counts by unit stay stable if
someone changes unit later. A "delegate" answer may carry the name of the person sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlite_utils import Database

from storage.db import from_iso, select, utc_iso

Answer = Literal["attend", "decline", "delegate"]
ANSWERS: tuple[Answer, ...] = ("attend", "decline", "delegate")


@dataclass(frozen=True)
class Rsvp:
    """One person's answer."""

    meeting_id: int
    occ: str
    user_id: int
    name: str
    unit_code: str | None
    answer: Answer
    answered_at: datetime
    delegate: str | None = None  # who goes in this person's place (answer 'delegate')


def answer(
    db: Database,
    meeting_id: int,
    occ: str,
    user_id: int,
    unit_code: str | None,
    value: Answer,
    now: datetime,
    delegate: str | None = None,
) -> None:
    """Record or change a person's answer (a delegate's name given or kept with 'delegate',
    dropped with any other answer)."""
    db.execute(
        """INSERT INTO rsvps (meeting_id, occ, user_id, unit_code, answer, answered_at, delegate)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(meeting_id, occ, user_id) DO UPDATE SET unit_code = excluded.unit_code,
               answer = excluded.answer, answered_at = excluded.answered_at,
               delegate = CASE WHEN excluded.answer = 'delegate'
                               THEN COALESCE(excluded.delegate, rsvps.delegate) END""",
        [meeting_id, occ, user_id, unit_code, value, utc_iso(now), delegate],
    )


def rsvps(db: Database, meeting_id: int, occ: str | None = None) -> list[Rsvp]:
    """Answers for a meeting (one occurrence key, or all of them), by unit then name."""
    sql = """SELECT r.*, TRIM(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, ''))
                    AS name, p.username
             FROM rsvps r LEFT JOIN people p ON p.user_id = r.user_id
             WHERE r.meeting_id = ?"""
    params: list[object] = [meeting_id]
    if occ is not None:
        sql += " AND r.occ = ?"
        params.append(occ)
    rows = select(db, sql + " ORDER BY r.occ, r.unit_code IS NULL, r.unit_code, name", params)
    return [
        Rsvp(
            meeting_id=row["meeting_id"],
            occ=row["occ"],
            user_id=row["user_id"],
            name=row["name"]
            or (f"@{row['username']}" if row["username"] else str(row["user_id"])),
            unit_code=row["unit_code"],
            answer=row["answer"],
            answered_at=from_iso(row["answered_at"]),  # type: ignore[arg-type]
            delegate=row["delegate"],
        )
        for row in rows
    ]


def attending(db: Database, meeting_id: int, occs: list[str]) -> list[int]:
    """People who answered attend or delegate for any of these occurrence keys."""
    if not occs:
        return []
    marks = ",".join("?" for _ in occs)
    rows = select(
        db,
        f"""SELECT DISTINCT user_id FROM rsvps WHERE meeting_id = ? AND occ IN ({marks})
            AND answer IN ('attend', 'delegate') ORDER BY user_id""",
        [meeting_id, *occs],
    )
    return [row["user_id"] for row in rows]


def counts_by_unit(items: list[Rsvp]) -> dict[str, dict[str, int]]:
    """{unit code or '': {answer: count}} for a list of answers."""
    out: dict[str, dict[str, int]] = {}
    for item in items:
        unit = out.setdefault(item.unit_code or "", {a: 0 for a in ANSWERS})
        unit[item.answer] += 1
    return out
