"""The full-text index behind /search: one FTS5 table (trigram tokenizer) over many sources.

Chinese has no spaces between words, so the index is of character trigrams (SQLite >= 3.34):
any substring of three or more characters matches; shorter queries (a two-character Chinese
word such as 风险) fall back to LIKE over the same table. Each source is a row of SOURCES;
triggers on its table keep the index in step inside the writing transaction.

Adding a source (e.g. plan changes): add a Source to SOURCES and a migration that calls
`install(db, source)` (triggers + backfill) for it; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import scalar, select

migrations = Migrations("coordbot.search_index")


@dataclass(frozen=True)
class Source:
    """One indexed table: SQL expressions over its row `t`."""

    kind: str
    table: str
    key: str
    project: str
    at: str
    title: str
    body: str
    where: str = "1"


_AGENDA_PROJECT = "(SELECT a.project FROM agenda_items a WHERE a.id = t.item_id)"

SOURCES: tuple[Source, ...] = (
    Source(
        "project",
        "projects",
        "t.code",
        "t.code",
        "t.created_at",
        "t.code || ' ' || t.name",
        "t.lead || ' ' || t.region || ' ' || t.batch",
    ),
    Source(
        "progress",
        "progress_entries",
        "t.id",
        "t.project_code",
        "t.created_at",
        "t.project_code",
        "t.text",
        "t.withdrawn_at IS NULL",
    ),
    Source(
        "decision",
        "decisions",
        "t.id",
        _AGENDA_PROJECT,
        "t.recorded_at",
        "''",
        "t.text",
    ),
    Source(
        "action",
        "actions",
        "t.id",
        _AGENDA_PROJECT,
        "t.created_at",
        "''",
        "t.text",
    ),
    Source(
        "meeting",
        "meetings",
        "t.id",
        "NULL",
        "t.start_at",
        "t.title",
        "t.place",
        "t.cancelled_at IS NULL",
    ),
)


def _fill(source: Source, row_filter: str) -> str:
    return (
        "INSERT INTO search_index (kind, ref, project, at, title, body) "
        f"SELECT '{source.kind}', CAST({source.key} AS TEXT), {source.project}, {source.at}, "
        f"{source.title}, {source.body} FROM {source.table} AS t "
        f"WHERE ({source.where}) AND {row_filter}"
    )


def install(db: Database, source: Source) -> None:
    """Create the triggers keeping `source` indexed and index its existing rows."""
    drop = (
        f"DELETE FROM search_index WHERE kind = '{source.kind}' "
        f"AND ref = CAST(OLD.{_col(source)} AS TEXT)"
    )
    name = f"search_{source.kind}"
    db.execute(
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {source.table} BEGIN "
        f"{_fill(source, 't.rowid = NEW.rowid')}; END"
    )
    db.execute(
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {source.table} BEGIN "
        f"{drop}; {_fill(source, 't.rowid = NEW.rowid')}; END"
    )
    db.execute(f"CREATE TRIGGER {name}_del AFTER DELETE ON {source.table} BEGIN {drop}; END")
    db.execute(_fill(source, "1"))


def _col(source: Source) -> str:
    # The key expression is a plain column of t (t.id, t.code).
    return source.key.removeprefix("t.")


@migrations()
def m001_search_index(db: Database) -> None:
    """The FTS5 trigram table, the triggers of every source, and a backfill."""
    db.execute(
        """CREATE VIRTUAL TABLE search_index USING fts5(
            kind UNINDEXED, ref UNINDEXED, project UNINDEXED, at UNINDEXED, title, body,
            tokenize = 'trigram'
        )"""
    )
    for source in SOURCES:
        install(db, source)


# Published minutes as one document each: the meeting's title, then the text of the minutes
# (the items discussed, the decisions, the action items, the corrections appended since).
# Only published minutes are indexed (drafts are not shown to members); ref is the meeting's
# number (/minutes <n>), at the publication time.
_SITTING = "x.meeting_id = t.meeting_id AND x.occ = t.occ"
_MINUTES_BODY = " || ' ' || ".join(
    f"COALESCE((SELECT group_concat(x.{col}, ' ') FROM {table} x WHERE {_SITTING}{extra}), '')"
    for table, col, extra in (
        ("agenda_items", "title", " AND x.state != 'dropped'"),
        ("decisions", "text", ""),
        ("actions", "text", ""),
        ("minutes_corrections", "text", ""),
    )
)
_MINUTES_FILL = (
    "INSERT INTO search_index (kind, ref, project, at, title, body) "
    "SELECT 'minutes', CAST(t.meeting_id AS TEXT), NULL, t.published_at, "
    "COALESCE((SELECT m.title FROM meetings m WHERE m.id = t.meeting_id), ''), "
    f"{_MINUTES_BODY} FROM minutes_published AS t WHERE "
)
_MINUTES_DROP = (
    "DELETE FROM search_index WHERE kind = 'minutes' AND ref = CAST({m} AS TEXT) "
    "AND at = (SELECT p.published_at FROM minutes_published p "
    "WHERE p.meeting_id = {m} AND p.occ = {o})"
)


@migrations()
def m002_minutes_text(db: Database) -> None:
    """Published minutes' text as a source (triggers: publication, corrections appended,
    removal), and a backfill of the minutes already published."""
    sitting = "t.meeting_id = {m} AND t.occ = {o}"
    new = {"m": "NEW.meeting_id", "o": "NEW.occ"}
    db.execute(
        "CREATE TRIGGER search_minutes_ins AFTER INSERT ON minutes_published BEGIN "
        f"{_MINUTES_FILL}{sitting.format(**new)}; END"
    )
    db.execute(
        "CREATE TRIGGER search_minutes_del BEFORE DELETE ON minutes_published BEGIN "
        f"{_MINUTES_DROP.format(m='OLD.meeting_id', o='OLD.occ')}; END"
    )
    db.execute(
        "CREATE TRIGGER search_minutes_fix AFTER INSERT ON minutes_corrections BEGIN "
        f"{_MINUTES_DROP.format(**new)}; {_MINUTES_FILL}{sitting.format(**new)}; END"
    )
    db.execute(f"{_MINUTES_FILL}TRUE")  # the backfill: every minutes published so far


@dataclass(frozen=True)
class Hit:
    """One search result."""

    kind: str
    ref: str
    project: str | None
    at: str
    title: str
    body: str


@dataclass(frozen=True)
class Results:
    """One page of hits for the words searched."""

    words: list[str]
    hits: list[Hit]
    total: int
    page: int
    pages: int


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(words: list[str], kinds: tuple[str, ...]) -> tuple[str, list[Any], bool]:
    long = [w for w in words if len(w) >= 3]
    short = [w for w in words if len(w) < 3]
    clauses: list[str] = []
    params: list[Any] = []
    if long:
        clauses.append("search_index MATCH ?")
        params.append(" AND ".join(_quote(w) for w in long))
    for word in short:
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        params.extend([_like(word), _like(word)])
    clauses.append(f"kind IN ({', '.join('?' for _ in kinds)})")
    params.extend(kinds)
    return " AND ".join(clauses), params, bool(long)


def find(
    db: Database, words: list[str], kinds: tuple[str, ...], limit: int, offset: int
) -> tuple[list[Hit], int]:
    """Rows matching every word (ranked by bm25, newest first without a long word); and
    the total count."""
    if not words or not kinds:
        return [], 0
    where, params, ranked = _where(words, kinds)
    order = "bm25(search_index), at DESC" if ranked else "at DESC"
    total = int(scalar(db, f"SELECT count(*) FROM search_index WHERE {where}", params) or 0)
    rows = select(
        db,
        f"SELECT kind, ref, project, at, title, body FROM search_index WHERE {where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [Hit(**r) for r in rows], total
