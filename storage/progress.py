"""Progress entries on projects, their revisions, and which risks are still open.

Nothing is deleted: an edit or a withdrawal writes the previous text to `entry_revisions`
and a withdrawn entry simply stops counting. A risk is open until a live entry tagged
rectification closes it (`risk_closures`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, scalar, select, utc_iso

TAGS = ("milestone", "risk", "rectification", "change", "major")
TAG_ALIASES = {
    "里程碑": "milestone",
    "风险": "risk",
    "整改": "rectification",
    "纠偏整改": "rectification",
    "变更": "change",
    "方案变更": "change",
    "重大": "major",
}
# Risk severity (高/中/低): a tag of its own (#高, #high) or the word right after #risk/#风险.
SEVERITIES = ("high", "medium", "low")
SEVERITY_ALIASES = {"高": "high", "中": "medium", "低": "low", "med": "medium"}
_AFTER_RISK = re.compile(r"#(?:risk|风险)\s*:?\s*([^\s#,.;:!?，。；：！？、]+)", re.IGNORECASE)
_TAG = re.compile(r"#([^\s#,.;:!?，。；：！？、]+)")
# "关闭 #3" / "closes #3, #5" / "关闭 #3、#5和#7": every number listed after the keyword.
_CLOSES = re.compile(
    r"(?:closes?|closed|关闭)\s*(#\d+(?:\s*(?:,|、|;|and|和|及|与)?\s*#\d+)*)", re.IGNORECASE
)

migrations = Migrations("coordbot.progress")


@migrations()
def m001_progress(db: Database) -> None:
    """Entries, their revisions and risk closures."""
    db.execute(
        """CREATE TABLE progress_entries (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            author_id INTEGER NOT NULL,
            author_unit TEXT COLLATE NOCASE,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT,
            withdrawn_at TEXT
        )"""
    )
    db.execute("CREATE INDEX progress_created ON progress_entries(created_at)")
    db.execute("CREATE INDEX progress_project ON progress_entries(project_code, id)")
    db.execute(
        """CREATE TABLE entry_revisions (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES progress_entries(id),
            action TEXT NOT NULL CHECK (action IN ('edit', 'withdraw')),
            old_text TEXT NOT NULL,
            old_tags TEXT NOT NULL,
            by_user INTEGER NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX entry_revisions_entry ON entry_revisions(entry_id)")
    db.execute(
        """CREATE TABLE risk_closures (
            risk_id INTEGER NOT NULL REFERENCES progress_entries(id),
            closing_id INTEGER NOT NULL REFERENCES progress_entries(id),
            PRIMARY KEY (risk_id, closing_id)
        )"""
    )
    db.execute("CREATE INDEX risk_closures_closing ON risk_closures(closing_id)")


@migrations()
def m002_disclosed_in_reply(db: Database) -> None:
    """The chat whose command reply carried an entry's disclosure (no notice row went there)."""
    db.execute("ALTER TABLE progress_entries ADD COLUMN disclosed_in_reply INTEGER")


@migrations()
def m003_risk_severity(db: Database) -> None:
    """A severity on risk entries (high, medium, low); risks logged before it are medium."""
    db.execute("ALTER TABLE progress_entries ADD COLUMN severity TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE progress_entries SET severity = 'medium' WHERE tags LIKE '% risk %'")


@migrations()
def m004_live_risk_index(db: Database) -> None:
    """Live risks by project: a project card's open risks scanned every entry of the project
    (its WHERE must keep these two terms, word for word, for SQLite to use this index)."""
    db.execute(
        """CREATE INDEX progress_live_risks ON progress_entries(project_code, id)
           WHERE withdrawn_at IS NULL AND tags LIKE '% risk %'"""
    )


@migrations()
def m005_live_last_index(db: Database) -> None:
    """Live entries by project and time, for each project's latest entry (silent projects)."""
    # A bulletin's last_activity() scanned every entry (7.5 -> 1.8 ms at 10,000).
    db.execute(
        """CREATE INDEX progress_live_last ON progress_entries(project_code, created_at)
           WHERE withdrawn_at IS NULL"""
    )


@migrations()
def m006_line_html(db: Database) -> None:
    """Each entry's text as a bulletin line shows it, stored when the entry is written."""
    # A bulletin over ten thousand entries spent ~7 ms flattening and escaping their texts
    # at every compile. Entries logged before this column read NULL and are prepared as
    # before; they leave bulletins with the next issue, so nothing is backfilled.
    db.execute("ALTER TABLE progress_entries ADD COLUMN line_html TEXT")


@dataclass(frozen=True)
class Entry:
    """One progress note."""

    id: int
    project_code: str
    author_id: int
    author_unit: str | None
    text: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime | None
    withdrawn: bool
    severity: str = ""


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


def _typed(text: str) -> str:
    # Tags and references are read on an NFKC copy, so ＃整改 and ＃１ count; the stored
    # text keeps the user's full-width forms.
    return unicodedata.normalize("NFKC", text)


def parse_tags(text: str) -> tuple[str, ...]:
    """The known tags in a text, English or Chinese, in canonical order."""
    found = set()
    for word in _TAG.findall(_typed(text)):
        key = word.lower()
        tag = key if key in TAGS else TAG_ALIASES.get(word)
        if tag:
            found.add(tag)
    return tuple(t for t in TAGS if t in found)


def _severity_word(word: str) -> str | None:
    key = word.lower()
    return key if key in SEVERITIES else SEVERITY_ALIASES.get(key)


def parse_severity(text: str) -> str:
    """A risk entry's severity (`#risk #高`, `#风险 高`, `#high`); medium when none is named,
    '' for an entry that is not a risk."""
    typed = _typed(text)
    if "risk" not in parse_tags(text):
        return ""
    for word in _TAG.findall(typed) + _AFTER_RISK.findall(typed):
        severity = _severity_word(word)
        if severity:
            return severity
    return "medium"


def parse_closes(text: str) -> list[int]:
    """Entry numbers a rectification says it closes (`closes #12`, `关闭 #12`)."""
    found: set[int] = set()
    for group in _CLOSES.findall(_typed(text)):
        found.update(int(n) for n in re.findall(r"#(\d+)", group) if len(n) <= 9)
    return sorted(found)


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        project_code=row["project_code"],
        author_id=row["author_id"],
        author_unit=row["author_unit"],
        text=row["text"],
        tags=tuple(row["tags"].split()),
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
        updated_at=from_iso(row["updated_at"]),
        withdrawn=row["withdrawn_at"] is not None,
        severity=row.get("severity") or "",
    )


def _tags_text(tags: tuple[str, ...]) -> str:
    # Padded with spaces so "LIKE '% risk %'" matches whole tags only.
    return f" {' '.join(tags)} " if tags else ""


def add_entry(
    db: Database,
    *,
    project_code: str,
    author_id: int,
    author_unit: str | None,
    text: str,
    now: datetime,
    line_html: str | None = None,
) -> Entry:
    """Log an entry; its tags are parsed from the text (line_html: see EntryRow)."""
    cursor = db.execute(
        """INSERT INTO progress_entries (project_code, author_id, author_unit, text, tags,
                                         severity, created_at, line_html)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            project_code,
            author_id,
            author_unit,
            text,
            _tags_text(parse_tags(text)),
            parse_severity(text),
            utc_iso(now),
            line_html,
        ],
    )
    entry = get_entry(db, int(cursor.lastrowid or 0))
    assert entry is not None
    return entry


def get_entry(db: Database, entry_id: int) -> Entry | None:
    """An entry by number (withdrawn ones included)."""
    row = one(db, "SELECT * FROM progress_entries WHERE id = ?", [entry_id])
    return _entry(row) if row else None


def edit_entry(
    db: Database,
    entry: Entry,
    text: str,
    by_user: int,
    now: datetime,
    line_html: str | None = None,
) -> Entry:
    """Replace an entry's text, keeping the old one as a revision (line_html: see EntryRow)."""
    _revision(db, entry, "edit", by_user, now)
    db.execute(
        """UPDATE progress_entries SET text = ?, tags = ?, severity = ?, updated_at = ?,
                  line_html = ?
           WHERE id = ?""",
        [
            text,
            _tags_text(parse_tags(text)),
            parse_severity(text),
            utc_iso(now),
            line_html,
            entry.id,
        ],
    )
    db.execute("DELETE FROM risk_closures WHERE closing_id = ?", [entry.id])
    updated = get_entry(db, entry.id)
    assert updated is not None
    return updated


def withdraw_entry(db: Database, entry: Entry, by_user: int, now: datetime) -> None:
    """Withdraw an entry: it stays stored but no longer counts anywhere."""
    _revision(db, entry, "withdraw", by_user, now)
    db.execute(
        "UPDATE progress_entries SET withdrawn_at = ? WHERE id = ?", [utc_iso(now), entry.id]
    )


def record_reply_disclosure(db: Database, entry_id: int, chat_id: int) -> None:
    """Record that the reply in this chat carried the entry's disclosure."""
    db.execute(
        "UPDATE progress_entries SET disclosed_in_reply = ? WHERE id = ?", [chat_id, entry_id]
    )


def reply_disclosure(db: Database, entry_id: int) -> int | None:
    """The chat whose command reply carried the entry's disclosure, if one did."""
    value = scalar(db, "SELECT disclosed_in_reply FROM progress_entries WHERE id = ?", [entry_id])
    return int(value) if value is not None else None


def _revision(db: Database, entry: Entry, action: str, by_user: int, now: datetime) -> None:
    db.execute(
        """INSERT INTO entry_revisions (entry_id, action, old_text, old_tags, by_user, at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [entry.id, action, entry.text, _tags_text(entry.tags), by_user, utc_iso(now)],
    )


def revisions(db: Database, entry_id: int) -> list[dict[str, Any]]:
    """An entry's revisions, oldest first."""
    return list(
        select(db, "SELECT * FROM entry_revisions WHERE entry_id = ? ORDER BY id", [entry_id])
    )


def close_risks(db: Database, closing_id: int, risk_ids: list[int]) -> None:
    """Record that a rectification closes these risks."""
    for risk_id in risk_ids:
        db.execute(
            "INSERT OR IGNORE INTO risk_closures (risk_id, closing_id) VALUES (?, ?)",
            [risk_id, closing_id],
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


def recent_entries(db: Database, project_code: str, limit: int = 5) -> list[Entry]:
    """A project's latest live entries, newest first."""
    rows = select(
        db,
        """SELECT * FROM progress_entries WHERE project_code = ? AND withdrawn_at IS NULL
           ORDER BY id DESC LIMIT ?""",
        [project_code, limit],
    )
    return [_entry(r) for r in rows]


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


# A bulletin reads thousands of rows: plain tuples skip sqlite-utils' dict building.
# Every caller of _live_entries (storage/project_pages.py too) selects these columns in order.
_COLUMNS = (
    "e.id, e.project_code, e.author_id, e.author_unit, e.text, e.tags, e.created_at, "
    "e.updated_at, e.severity"
)


def _live_entries(rows: list[tuple[Any, ...]]) -> list[Entry]:
    return [_built(r, False) for r in rows]


def max_id(db: Database) -> int:
    """The highest entry number so far (a bulletin's watermark)."""
    return int(scalar(db, "SELECT MAX(id) FROM progress_entries") or 0)


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


def last_activity(db: Database) -> dict[str, datetime]:
    """The time of each project's latest live entry."""
    rows = select(
        db,
        """SELECT project_code, MAX(created_at) AS t FROM progress_entries
           WHERE withdrawn_at IS NULL GROUP BY project_code""",
    )
    return {r["project_code"].upper(): from_iso(r["t"]) for r in rows}  # type: ignore[misc]
