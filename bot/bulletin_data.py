"""Gathering a bulletin's content from storage as plain data for the pure renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.services import meeting_reads as meetings
from storage import actions, evaluations, people, progress, projects
from storage.actions import Action
from storage.bulletins import Marks
from storage.evaluations import Result
from storage.progress import Entry
from storage.projects import Project, StageChange

UPCOMING_DAYS = 14


@dataclass(frozen=True)
class MeetingItem:
    """A meeting to list under "upcoming meetings"."""

    title: str
    kind: str
    start: datetime
    end: datetime
    place: str


@dataclass(frozen=True)
class RiskItem:
    """An open risk with how long it has been open."""

    entry: Entry
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
    entries: list[Entry]
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
    new_risks: int = field(init=False)

    def __post_init__(self) -> None:
        self.new_risks = sum(1 for e in self.entries if "risk" in e.tags)

    @property
    def nothing_new(self) -> bool:
        """True when nothing was logged, moved or evaluated in the period."""
        return not (self.entries or self.stage_changes or self.results)


def upcoming_meetings(db: Database, start: datetime, end: datetime) -> list[MeetingItem]:
    """Meetings (occurrences expanded, cancelled ones left out) starting in [start, end)."""
    return [
        MeetingItem(m.title, m.kind, m.start, m.end, m.place)
        for m in meetings.upcoming(db, start, end)
        if not m.cancelled
    ]


def units_reporting(
    follows: list[tuple[str, str]], entries: list[Entry]
) -> tuple[list[str], list[str]]:
    """(units that logged on a project they follow, following units that logged nothing)."""
    logged = {(e.project_code.upper(), (e.author_unit or "").upper()) for e in entries}
    following = sorted({unit.upper() for _, unit in follows})
    reported = sorted({u for p, u in follows if (p.upper(), u.upper()) in logged})
    reported_set = {u.upper() for u in reported}
    return reported, [u for u in following if u not in reported_set]


def current_marks(db: Database) -> Marks:
    """The newest entry, stage change and result ids: what an issue published now covers."""
    return progress.max_id(db), projects.max_change_id(db), evaluations.max_result_id(db)


def gather(
    db: Database, after: Marks, start: datetime | None, end: datetime, silent_days: int
) -> BulletinData:
    """Collect everything logged after the previous issue's marks; the period is for display."""
    all_projects = {p.code.upper(): p for p in projects.list_projects(db)}
    stage_counts: dict[str, int] = {}
    for p in all_projects.values():
        stage_counts[p.stage] = stage_counts.get(p.stage, 0) + 1
    entries = progress.entries_after(db, after[0])
    closures = [
        Closure(risk, rect, max(0, (rect.created_at - risk.created_at).days))
        for risk, rect in progress.closures_after(db, after[0])
    ]
    risks = [RiskItem(e, max(0, (end - e.created_at).days)) for e in progress.open_risks(db)]
    reported, silent_units = units_reporting(projects.all_follows(db), entries)
    return BulletinData(
        period_start=start,
        period_end=end,
        projects=all_projects,
        stage_counts=stage_counts,
        entries=entries,
        stage_changes=projects.stage_changes_after(db, after[1]),
        open_risks=risks,
        closures=closures,
        silent=silent_projects(all_projects, progress.last_activity(db), end, silent_days),
        results=evaluations.results_after(db, after[2]),
        meetings=upcoming_meetings(db, end, end + timedelta(days=UPCOMING_DAYS)),
        units_reported=reported,
        units_silent=silent_units,
        silent_days=silent_days,
        actions=actions.open_actions(db, end),
        unit_names={u.code.upper(): u.name for u in people.list_units(db)},
    )


def silent_projects(
    all_projects: dict[str, Project], last: dict[str, datetime], now: datetime, days: int
) -> list[tuple[Project, int | None]]:
    """Active projects with no entry for more than `days` days (None: never logged)."""
    out: list[tuple[Project, int | None]] = []
    for code, project in sorted(all_projects.items()):
        if project.stage in projects.FINAL_STAGES:
            continue
        since = last.get(code)
        reference = since or project.created_at
        if now - reference > timedelta(days=days):
            out.append((project, (now - since).days if since else None))
    return out
