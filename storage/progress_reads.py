"""Live progress entries read in bulk, and which risks are still open.

A bulletin, a project card and the web list thousands of entries: these reads select plain
tuples and build entries from them (or hand the tuples over as rows). A risk is open until a
live entry tagged rectification closes it (`risk_closures`, written by storage/progress.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_iso, one, select, utc_iso
from storage.progress import Entry, _tags_text

# A live entry as a bulletin lists it: (id, project_code, author_unit, text, tags as stored
# (" risk major "), created_at as stored (UTC ISO), raw); an open risk: (id, project_code,
# text, created_at, severity, raw). `text` is the line_html given when the entry was written
# (the text flattened, clipped and escaped by the renderer) and raw 0; or, when there is none
# (or a risk's text is longer than the clip asked for), the text as typed and raw 1.
# Plain tuples as sqlite3 gives them, not named ones: the cycle
# collector stops tracking a tuple of plain values, never a named tuple, and ten thousand
# tracked rows a compile made a full collection (~25 ms) land in every other compile.
EntryRow = tuple[int, str, str | None, str, str, str, int]
RiskRow = tuple[int, str, str, str, str, int]


def as_row(entry: Entry) -> EntryRow:
    """An entry in the shape a bulletin reads (for bulletin data built from entries)."""
    return (
        entry.id,
        entry.project_code,
        entry.author_unit,
        entry.text,
        _tags_text(entry.tags),
        utc_iso(entry.created_at),
        1,
    )


# A bulletin reads thousands of rows: plain tuples skip sqlite-utils' dict building.
# Every caller of _live_entries (storage/project_pages.py too) selects these columns in order.
_COLUMNS = (
    "e.id, e.project_code, e.author_id, e.author_unit, e.text, e.tags, e.created_at, "
    "e.updated_at, e.severity"
)


def _live_entries(rows: list[tuple[Any, ...]]) -> list[Entry]:
    return [_built(r, False) for r in rows]


def _built(r: tuple[Any, ...], withdrawn: bool) -> Entry:
    return Entry(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        tuple(r[5].split()),
        datetime.fromisoformat(r[6]),
        from_iso(r[7]),
        withdrawn,
        r[8] or "",
    )


_LIVE_CLOSURE = """EXISTS (SELECT 1 FROM risk_closures c
    JOIN progress_entries r ON r.id = c.closing_id
    WHERE c.risk_id = e.id AND r.withdrawn_at IS NULL)"""


_OPEN_RISKS = f"""FROM progress_entries e WHERE e.withdrawn_at IS NULL
    AND e.tags LIKE '% risk %' AND NOT {_LIVE_CLOSURE}"""
_RISK_ORDER = " ORDER BY CASE e.severity WHEN 'high' THEN 0 WHEN 'low' THEN 2 ELSE 1 END, e.id"


def is_open_risk(db: Database, entry_id: int) -> bool:
    """Whether an entry is a live risk not yet closed."""
    row = one(
        db,
        f"""SELECT 1 AS x FROM progress_entries e WHERE e.id = ? AND e.withdrawn_at IS NULL
            AND e.tags LIKE '% risk %' AND NOT {_LIVE_CLOSURE}""",
        [entry_id],
    )
    return row is not None


def open_risks(
    db: Database, project_code: str | None = None, known: Mapping[int, Entry] | None = None
) -> list[Entry]:
    """Live risks not closed by a live rectification: high first, then medium, low; within
    a severity, oldest first. Entries in `known` (live ones by number, read already: a
    bulletin's period) are taken from there rather than read and built again."""
    where = _OPEN_RISKS
    params: list[Any] = []
    if project_code:
        where += " AND e.project_code = ?"
        params.append(project_code)
    order = _RISK_ORDER
    if known is None:
        return _live_entries(db.execute(f"SELECT {_COLUMNS} {where}{order}", params).fetchall())
    ids = [row[0] for row in db.execute(f"SELECT e.id {where}{order}", params).fetchall()]
    missing = json.dumps([i for i in ids if i not in known])
    rows = db.execute(
        f"""SELECT {_COLUMNS} FROM progress_entries e
            WHERE e.id IN (SELECT value FROM json_each(?))""",
        [missing],
    ).fetchall()
    read = {entry.id: entry for entry in _live_entries(rows)}
    return [known[i] if i in known else read[i] for i in ids]


def open_risk_rows(db: Database, clip: int) -> list[RiskRow]:
    """open_risks() as RiskRow tuples, in the same order: a bulletin can list thousands.

    A risk line clips its text at `clip` characters, so line_html stands for the text only
    when the text is no longer than that (line_html is never clipped shorter than that).
    """
    cursor = db.execute(
        f"""SELECT e.id, e.project_code,
                   CASE WHEN e.line_html IS NOT NULL AND length(e.text) <= ?1
                        THEN e.line_html ELSE e.text END,
                   e.created_at, e.severity, e.line_html IS NULL OR length(e.text) > ?1
            {_OPEN_RISKS}{_RISK_ORDER}""",
        [clip],
    )
    return cursor.fetchall()


def entries_after(db: Database, after_id: int) -> list[Entry]:
    """Live entries numbered above `after_id`, oldest first."""
    cursor = db.execute(
        f"""SELECT {_COLUMNS} FROM progress_entries e
            WHERE e.id > ? AND e.withdrawn_at IS NULL ORDER BY e.id""",
        [after_id],
    )
    return _live_entries(cursor.fetchall())


def entry_rows_after(db: Database, after_id: int) -> list[EntryRow]:
    """Live entries numbered above `after_id`, oldest first, as EntryRow tuples."""
    # A bulletin lists thousands, and only these columns: no dataclass, no datetime built.
    cursor = db.execute(
        f"""SELECT {_ROW_COLUMNS} FROM progress_entries e
            WHERE e.id > ? AND e.withdrawn_at IS NULL ORDER BY e.id""",
        [after_id],
    )
    return cursor.fetchall()


_ROW_COLUMNS = (
    "e.id, e.project_code, e.author_unit, coalesce(e.line_html, e.text), e.tags, e.created_at, "
    "e.line_html IS NULL"
)


def closures_after(db: Database, after_id: int) -> list[tuple[Entry, Entry]]:
    """(risk, rectification) pairs closed by live entries numbered above `after_id`."""
    # One query with both entries (it was two lookups a pair, ~400 in a large bulletin),
    # read as tuples (dicts of twenty keys a pair were most of its time).
    rows = db.execute(
        f"""SELECT {_COLUMNS.replace("e.", "k.")}, k.withdrawn_at IS NOT NULL,
                  {_COLUMNS.replace("e.", "r.")}
           FROM risk_closures c
           JOIN progress_entries r ON r.id = c.closing_id
           JOIN progress_entries k ON k.id = c.risk_id
           WHERE r.withdrawn_at IS NULL AND c.closing_id > ?
           ORDER BY c.closing_id, c.risk_id""",
        [after_id],
    ).fetchall()
    return [(_built(row[:9], bool(row[9])), _built(row[10:], False)) for row in rows]


def last_activity(db: Database) -> dict[str, datetime]:
    """The time of each project's latest live entry."""
    rows = select(
        db,
        """SELECT project_code, MAX(created_at) AS t FROM progress_entries
           WHERE withdrawn_at IS NULL GROUP BY project_code""",
    )
    return {r["project_code"].upper(): from_iso(r["t"]) for r in rows}  # type: ignore[misc]
