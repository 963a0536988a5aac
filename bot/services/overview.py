"""The programme at a glance: the numbers a director asks for, as plain data.

Used by the dashboard's Overview (bot/web) and by /stats (a picture in chat). Labels are
left to the renderers: here are codes and counts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.services import Services
from bot.services.web_reads import occurrences_between
from storage import bulletins, people, progress
from storage import overview as reads
from storage.projects import CATEGORIES, STAGES

REPORTING_ISSUES = 6  # bulletin periods shown in the reporting grid, besides the current one
ATTENDANCE_DAYS = 180  # sittings counted for attendance
RISK_BUCKETS = (("lt7", 7), ("7to30", 30), ("30to90", 90), ("gt90", None))
OLDEST_RISKS = 5
TIERS = ("key", "regular", "watch")  # 重点/常规/关注, in that order when a tier column exists


@dataclass(frozen=True)
class RiskAge:
    """One open risk and how many days it has been open."""

    entry_id: int
    project: str
    days: int
    text: str


@dataclass(frozen=True)
class Period:
    """A column of the reporting grid: a published issue, or the period since the last."""

    year: int | None
    number: int | None


@dataclass(frozen=True)
class ReportingRow:
    """One unit across the reporting periods: 'reported', 'silent' or 'none' per period."""

    unit: str
    cells: tuple[str, ...]
    entries: tuple[int, ...]


@dataclass(frozen=True)
class Attendance:
    """How often a unit was present at the sittings it was invited to."""

    unit: str
    invited: int
    present: int


@dataclass(frozen=True)
class Overview:
    """Counts by stage, category and tier; risks; reporting; actions; attendance."""

    today: date
    projects: int
    by_stage: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_tier: list[tuple[str, int]]
    open_risks: int
    risk_ages: list[tuple[str, int]]
    oldest_risks: list[RiskAge]
    periods: list[Period]
    reporting: list[ReportingRow]
    open_actions: int
    overdue_actions: int
    overdue_by_unit: list[tuple[str, int]]
    attendance: list[Attendance]
    unit_names: dict[str, str] = field(default_factory=dict)


def _ordered(counts: dict[str, int], order: tuple[str, ...]) -> list[tuple[str, int]]:
    known = [(key, counts.get(key, 0)) for key in order]
    extra = sorted((k, v) for k, v in counts.items() if k not in order)
    return known + extra


def _bucket(days: int) -> str:
    for key, limit in RISK_BUCKETS:
        if limit is None or days < limit:
            return key
    return RISK_BUCKETS[-1][0]


def risk_ages(svc: Services, today: date) -> tuple[list[tuple[str, int]], list[RiskAge]]:
    """Open risks counted by age bucket, and the oldest few."""
    tz = svc.config.tz
    counts = {key: 0 for key, _limit in RISK_BUCKETS}
    ages = []
    for entry_id, project, created in reads.open_risk_starts(svc.db):
        days = (today - datetime.fromisoformat(created).astimezone(tz).date()).days
        counts[_bucket(days)] += 1
        ages.append((days, entry_id, project))
    oldest = []
    for days, entry_id, project in sorted(ages, key=lambda a: (-a[0], a[1]))[:OLDEST_RISKS]:
        entry = progress.get_entry(svc.db, entry_id)
        text = " ".join(entry.text.split()) if entry else ""
        oldest.append(RiskAge(entry_id, project, days, text))
    return list(counts.items()), oldest


def reporting(svc: Services, units: list[str]) -> tuple[list[Period], list[ReportingRow]]:
    """Which units logged progress in each of the last bulletin periods and since the last.

    A unit that logged nothing is 'silent' when it follows an active project, else 'none'.
    """
    issues = list(reversed(bulletins.list_issues(svc.db, REPORTING_ISSUES + 1)))
    marks = [issue.marks[0] for issue in issues]
    shown = issues[1:] if len(issues) > REPORTING_ISSUES else issues
    bounds: list[tuple[int, int | None]] = []
    for issue in shown:
        index = issues.index(issue)
        bounds.append((marks[index - 1] if index else 0, issue.marks[0]))
    bounds.append((marks[-1] if marks else 0, None))
    periods = [Period(i.year, i.number) for i in shown] + [Period(None, None)]
    counts = [reads.entries_by_unit(svc.db, low, high) for low, high in bounds]
    following = reads.following_units(svc.db)
    rows = []
    for unit in units:
        entries = tuple(c.get(unit, 0) for c in counts)
        cells = tuple(
            "reported" if n else ("silent" if unit in following else "none") for n in entries
        )
        rows.append(ReportingRow(unit, cells, entries))
    return periods, rows


def attendance(svc: Services, units: list[str], now: datetime) -> list[Attendance]:
    """Presence at the sittings of the last ATTENDANCE_DAYS that each unit was invited to.

    Recorded attendance (/present) counts where there is some; else the RSVPs (attend or
    send a delegate), as the minutes do.
    """
    found = occurrences_between(svc, now - timedelta(days=ATTENDANCE_DAYS), now)
    ids = sorted({m.id for m in found})
    recorded = reads.recorded_attendance(svc.db, ids)
    answered = reads.rsvp_attendance(svc.db, ids)
    invited = {u: 0 for u in units}
    present = {u: 0 for u in units}
    for sitting in found:
        key = (sitting.id, sitting.rsvp_key)
        there = recorded.get(key) or answered.get(key) or set()
        for unit in [u.upper() for u in sitting.invited] or units:
            if unit in invited:
                invited[unit] += 1
                present[unit] += unit in there
    return [Attendance(u, invited[u], present[u]) for u in units if invited[u]]


def overview(svc: Services, now: datetime) -> Overview:
    """Everything the Overview shows, as of `now`."""
    db = svc.db
    today = now.astimezone(svc.config.tz).date()
    names = {u.code.upper(): u.name for u in people.list_units(db)}
    units = sorted(names)
    by_stage = _ordered(reads.project_counts(db, "stage"), STAGES)
    ages, oldest = risk_ages(svc, today)
    periods, grid = reporting(svc, units)
    overdue = reads.overdue_by_unit(db, today)
    open_by_unit = reads.open_actions_by_unit(db)
    return Overview(
        today=today,
        projects=sum(n for _k, n in by_stage),
        by_stage=by_stage,
        by_category=_ordered(reads.project_counts(db, "category"), CATEGORIES),
        # A project without a tier ('') is left out: the tiers are the three of 分类分级管理.
        by_tier=_ordered({k: n for k, n in reads.project_counts(db, "tier").items() if k}, TIERS)
        if reads.has_column(db, "projects", "tier")
        else [],
        open_risks=sum(n for _k, n in ages),
        risk_ages=ages,
        oldest_risks=oldest,
        periods=periods,
        reporting=grid,
        open_actions=sum(open_by_unit.values()),
        overdue_actions=sum(overdue.values()),
        overdue_by_unit=sorted(overdue.items(), key=lambda kv: (-kv[1], kv[0])),
        attendance=attendance(svc, units, now),
        unit_names=names,
    )
