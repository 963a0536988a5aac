"""The integrity record (诚信档案) of a lead institution: late and missing reports in
reporting rounds, risks left open past COORDBOT_RISK_OPEN_DAYS, rectifications and how long
they took, and entries an admin recorded (/record_add). Reads, except `record_entry`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from bot.render.text import esc
from bot.services.projects import NOTE_LIMIT, ProjectNotFound, find
from bot.services.refused import Refused, TooLong
from storage import integrity, progress_reads, projects, round_reports
from storage import rounds as rounds_store
from storage.integrity import (
    RECORD_KINDS,
    Record,
    RecordEntry,
    RecordItem,
    RecordPage,
    ReportMark,
    RiskMark,
)
from storage.projects import CODE

if TYPE_CHECKING:
    from bot.services import Services


class UnknownInstitution(Refused):
    """Neither a project code nor a lead institution of any project."""

    message = N_("No project has the code or lead institution {name}. See /projects.")


class EmptyEntry(Refused):
    """A record entry without text."""

    message = N_("Write what is recorded after a bar, e.g. /record_add BJ-01 | {example}.")


@dataclass(frozen=True)
class Recorded:
    """An entry an admin recorded."""

    entry: RecordEntry
    audit: dict[str, Any] = field(default_factory=dict)


def _lead_of(svc: Services, code_or_name: str) -> str:
    words = code_or_name.strip()
    if CODE.match(words.upper()):
        try:
            return find(svc, words).lead
        except ProjectNotFound:
            pass
    for project in projects.list_projects(svc.db):
        if project.lead.casefold() == words.casefold():
            return project.lead
    raise UnknownInstitution(name=esc(words[:80]))


def record(svc: Services, code_or_name: str, now: datetime) -> Record:
    """The integrity record of a project's lead institution (by code or by its name)."""
    lead = _lead_of(svc, code_or_name)
    mine = [p for p in projects.list_projects(svc.db) if p.lead.casefold() == lead.casefold()]
    codes = {p.code.upper() for p in mine}
    limit = svc.config.risk_open_days
    marks: list[ReportMark] = []
    for opened in rounds_store.last_rounds(svc.db, 10_000):
        done = {
            (r.project_code.upper(), r.unit_code.upper()): r.late
            for r in round_reports.reports(svc.db, opened.id)
        }
        for project_code, unit in rounds_store.asked(svc.db, opened.id):
            key = (project_code.upper(), unit.upper())
            if key[0] not in codes:
                continue
            if key in done and done[key]:
                marks.append(ReportMark(opened.id, project_code, unit, opened.deadline_at, True))
            elif key not in done and now >= opened.deadline_at:
                marks.append(ReportMark(opened.id, project_code, unit, opened.deadline_at, False))
    risks = [
        RiskMark(e, (now - e.created_at).days)
        for code in sorted(codes)
        for e in progress_reads.open_risks(svc.db, code)
        if (now - e.created_at).days > limit
    ]
    fixes = [
        RiskMark(risk, max(0, (fix.created_at - risk.created_at).days), fix.id, fix.created_at)
        for risk, fix in progress_reads.closures_after(svc.db, 0)
        if risk.project_code.upper() in codes
    ]
    return Record(lead, mine, marks, risks, fixes, integrity.of_lead(svc.db, lead), limit)


PAGE = 10


def record_page(
    svc: Services,
    code_or_name: str,
    now: datetime,
    since: datetime | None = None,
    page: int = 1,
    days: int | None = None,
) -> RecordPage:
    """A page of a lead institution's record from `since` (all of it when None), newest
    first, with the totals per kind over the window."""
    found = record(svc, code_or_name, now)
    limit = timedelta(days=found.threshold_days)
    items = [RecordItem("report", m.deadline, m) for m in found.reports]
    items += [RecordItem("risk", r.entry.created_at + limit, r) for r in found.open_risks]
    items += [
        RecordItem("rectification", r.closed_at or r.entry.created_at, r)
        for r in found.rectifications
    ]
    items += [RecordItem("entry", e.at, e) for e in found.entries]
    if since is not None:
        items = [i for i in items if i.at >= since]
    # Newest first; at the same moment, the one recorded later first.
    items = [i for _n, i in sorted(enumerate(items), key=lambda p: (p[1].at, p[0]), reverse=True)]
    totals = {kind: sum(1 for i in items if i.kind == kind) for kind in RECORD_KINDS}
    late = sum(
        1
        for i in items
        if i.kind == "rectification"
        and isinstance(i.mark, RiskMark)
        and i.mark.days > found.threshold_days
    )
    pages = max(1, -(-len(items) // PAGE))
    page = min(max(1, page), pages)
    shown = items[(page - 1) * PAGE : page * PAGE]
    return RecordPage(
        found.lead,
        found.projects,
        totals,
        late,
        shown,
        page,
        pages,
        found.threshold_days,
        days,
        since,
    )


def record_entry(svc: Services, code: str, text: str, by_user: int, now: datetime) -> Recorded:
    """Record an entry about a project on its lead institution's record."""
    project = find(svc, code)
    text = text.strip()
    if not text:
        raise EmptyEntry(example=lambda tr: tr("late submission of the exit report"))
    if len(text) > NOTE_LIMIT:
        raise TooLong(NOTE_LIMIT)
    entry = integrity.add(svc.db, project.code, project.lead, text, by_user, now)
    return Recorded(entry, {"entry": entry.id, "project": project.code, "lead": project.lead})
