"""A bulletin as plain data for the pure renderer, and the pure rules around it: which units
reported, which projects went silent, when a scheduled run falls.

No I/O here: the bulletins service (bot/services/bulletins.py) gathers the data from storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, cast

from bot.domain.rounds import Standing
from storage.actions import Action
from storage.evaluations import Result
from storage.progress import Entry
from storage.progress_reads import EntryRow, RiskRow, as_row
from storage.project_stages import StageChange
from storage.projects import FINAL_STAGES, Project


@dataclass(frozen=True)
class MeetingItem:
    """A meeting to list under "upcoming meetings"."""

    title: str
    kind: str
    start: datetime
    end: datetime
    place: str


class RiskItem(NamedTuple):
    """An open risk with how long it has been open (a bulletin can list thousands)."""

    entry: Entry | RiskRow
    age_days: int


@dataclass(frozen=True)
class Closure:
    """A risk closed by a rectification in the period, and how long it had been open."""

    risk: Entry
    rectification: Entry
    days_open: int


@dataclass
class BulletinData:
    """Everything one issue shows, as plain values."""

    period_start: datetime | None
    period_end: datetime
    projects: dict[str, Project]
    stage_counts: dict[str, int]
    # Rows as gathered (storage.progress_reads.entry_rows_after), or entries (built by hand).
    entries: list[EntryRow] | list[Entry]
    stage_changes: list[StageChange]
    open_risks: list[RiskItem]
    closures: list[Closure]
    silent: list[tuple[Project, int | None]]
    results: list[Result]
    meetings: list[MeetingItem]
    units_reported: list[str]
    units_silent: list[str]
    silent_days: int = 14
    actions: list[Action] = field(default_factory=list)
    unit_names: dict[str, str] = field(default_factory=dict)
    # Reporting rounds of the period, with who reported (bot/services/round_reads.py).
    rounds: list[Standing] = field(default_factory=list)
    new_risks: int = field(init=False)
    rows: list[EntryRow] = field(init=False, repr=False)
    # Rendering's work that is the same in every language, done once (bot/render/bulletin_lines).
    prepared: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = self.entries
        if entries and isinstance(entries[0], Entry):
            self.rows = [as_row(e) for e in cast(list[Entry], entries)]
        else:
            self.rows = cast(list[EntryRow], entries)
        # Stored tags are padded (" risk major "): one " risk " at most in each.
        self.new_risks = "\x00".join(map(itemgetter(4), self.rows)).count(" risk ")

    @property
    def nothing_new(self) -> bool:
        """True when nothing was logged, moved or evaluated in the period."""
        return not (self.entries or self.stage_changes or self.results)


def units_reporting(
    follows: list[tuple[str, str]], entries: Sequence[Entry] | Sequence[EntryRow]
) -> tuple[list[str], list[str]]:
    """(units that logged on a project they follow, following units that logged nothing)."""
    # The distinct pairs first: thousands of entries.
    if entries and isinstance(entries[0], Entry):
        pairs: set[tuple[str, str | None]] = set(map(_code_and_unit, entries))
    else:
        pairs = set(map(itemgetter(1, 2), cast(Sequence[EntryRow], entries)))
    logged = {(code.upper(), (unit or "").upper()) for code, unit in pairs}
    following = sorted({unit.upper() for _, unit in follows})
    reported = sorted({u for p, u in follows if (p.upper(), u.upper()) in logged})
    reported_set = {u.upper() for u in reported}
    return reported, [u for u in following if u not in reported_set]


_code_and_unit = attrgetter("project_code", "author_unit")


def silent_projects(
    all_projects: dict[str, Project], last: dict[str, datetime], now: datetime, days: int
) -> list[tuple[Project, int | None]]:
    """Active projects with no entry for more than `days` days (None: never logged)."""
    out: list[tuple[Project, int | None]] = []
    for code, project in sorted(all_projects.items()):
        if project.stage in FINAL_STAGES:
            continue
        since = last.get(code)
        reference = since or project.created_at
        if now - reference > timedelta(days=days):
            out.append((project, (now - since).days if since else None))
    return out
