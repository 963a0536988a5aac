"""Bulletins: compiling the next issue, publishing it, the archive, the schedule, and an
admin's decision on a scheduled issue awaiting approval.

Every function runs inside the caller's transaction (a handler's or a firer's), so an issue,
its frozen parts and the notices pushing it commit together or not at all. Publication goes
through the notify service: each chat gets the frozen parts in its language (decided in
notify), queued under `bulletin:<year>-<number>:<chat>[:<part>]`. The scheduled runs, the
nudges and the approval requests live in bot/services/bulletin_runs.py. Results carry the
audit detail (`audit`); refusals are `Refused` subclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from bot.i18n import N_, Tr
from bot.render.bulletin import issue_label, render_sections, to_parts
from bot.render.bulletin_data import (
    BulletinData,
    Closure,
    MeetingItem,
    RiskItem,
    silent_projects,
    units_reporting,
)
from bot.render.bulletin_lines import RISK_CLIP
from bot.render.text import esc
from bot.services import meeting_reads as meetings
from bot.services import notify, round_reads
from bot.services.refused import Refused
from storage import (
    actions,
    bulletins,
    evaluations,
    people,
    progress,
    progress_reads,
    project_follows,
    project_stages,
    projects,
)
from storage.bulletins import Approval, Issue, Marks, Schedule
from storage.people import Person

if TYPE_CHECKING:
    from bot.services import Services

UPCOMING_DAYS = 14
LANGS = ("en", "zh")


class NothingLogged(Refused):
    """Publishing before anything was ever logged."""

    message = N_("Nothing to publish: nothing has been logged yet.")


class NothingNew(Refused):
    """Publishing with nothing new since the last issue."""

    message = N_("Nothing new since {label} was published; no issue was made.")


class NoSuchIssue(Refused):
    """An issue number never published."""

    message = N_("There is no bulletin {ref}. See /bulletins.")


class ApprovalGone(Refused):
    """An approval button whose request does not exist."""

    message = N_("This button is not valid any more.")


class AlreadyDecided(Refused):
    """An approval request another admin already answered."""

    message = N_("Already decided.")


@dataclass(frozen=True)
class Draft:
    """The next issue as of now, with the year and number it would get."""

    data: BulletinData
    year: int
    number: int


@dataclass(frozen=True)
class Outcome:
    """What a publication attempt did."""

    issue: Issue | None
    created: bool
    nothing_new: bool = False


@dataclass(frozen=True)
class Decided:
    """An admin's answer to a scheduled issue; `issue` when approving published one."""

    approval: Approval
    issue: Issue | None
    audit: dict[str, Any] = field(default_factory=dict)


def gather(
    db: Database, after: Marks, start: datetime | None, end: datetime, silent_days: int
) -> BulletinData:
    """Collect everything logged after the previous issue's marks; the period is for display."""
    all_projects = {p.code.upper(): p for p in projects.list_projects(db)}
    stage_counts: dict[str, int] = {}
    for p in all_projects.values():
        stage_counts[p.stage] = stage_counts.get(p.stage, 0) + 1
    # Rows, not Entry objects: an issue can list ten thousand (bot/render/bulletin_lines.py).
    entries = progress_reads.entry_rows_after(db, after[0])
    closures = [
        Closure(risk, rect, max(0, (rect.created_at - risk.created_at).days))
        for risk, rect in progress_reads.closures_after(db, after[0])
    ]
    risks = [
        RiskItem(e, max(0, (end - datetime.fromisoformat(e[3])).days))
        for e in progress_reads.open_risk_rows(db, RISK_CLIP)
    ]
    reported, silent_units = units_reporting(project_follows.all_follows(db), entries)
    upcoming = meetings.upcoming(db, end, end + timedelta(days=UPCOMING_DAYS))
    return BulletinData(
        period_start=start,
        period_end=end,
        projects=all_projects,
        stage_counts=stage_counts,
        entries=entries,
        stage_changes=project_stages.stage_changes_after(db, after[1]),
        open_risks=risks,
        closures=closures,
        silent=silent_projects(all_projects, progress_reads.last_activity(db), end, silent_days),
        results=evaluations.results_after(db, after[2]),
        meetings=[
            MeetingItem(m.title, m.kind, m.start, m.end, m.place)
            for m in upcoming
            if not m.cancelled
        ],
        units_reported=reported,
        units_silent=silent_units,
        silent_days=silent_days,
        actions=actions.open_actions(db, end),
        unit_names={u.code.upper(): u.name for u in people.list_units(db)},
        rounds=round_reads.for_bulletin(db, start, end),
    )


def current_marks(db: Database) -> Marks:
    """The newest entry, stage change and result ids: what an issue published now covers."""
    return progress.max_id(db), project_stages.max_change_id(db), evaluations.max_result_id(db)


def draft(svc: Services, now: datetime) -> Draft:
    """The content of the next issue as of now, with the year and number it would get."""
    prev = bulletins.latest_issue(svc.db)
    data = gather(
        svc.db,
        prev.marks if prev else (0, 0, 0),
        prev.period_end if prev else None,
        now,
        svc.config.silent_days,
    )
    year = now.astimezone(svc.config.tz).year
    return Draft(data, year, bulletins.next_number(svc.db, year))


def publication_key(issue: Issue) -> str:
    """The notice key of an issue's publication (rows add `:<chat>[:<part>]`)."""
    return f"bulletin:{issue.year}-{issue.number}"


def publish(svc: Services, now: datetime, by_user: int | None, via: str) -> Outcome:
    """Freeze the next issue and queue it to every chat subscribed to bulletins, at most once."""
    prev = bulletins.latest_issue(svc.db)
    next_issue = draft(svc, now)
    if next_issue.data.nothing_new:
        return Outcome(prev, created=False, nothing_new=True)
    parts: dict[str, list[str]] = {}
    for lang in LANGS:
        tr = svc.translator.get(lang)
        sections = render_sections(
            next_issue.data, tr, svc.config.tz, next_issue.year, next_issue.number
        )
        parts[lang] = to_parts(sections, tr)
        parts[f"{lang}:sections"] = sections
    issue = bulletins.create_issue(
        svc.db,
        year=next_issue.year,
        after=prev,
        period_end=now,
        now=now,
        by_user=by_user,
        via=via,
        marks=current_marks(svc.db),
        parts=parts,
    )
    if issue is None:
        return Outcome(bulletins.latest_issue(svc.db), created=False)

    def frozen(tr: Tr) -> list[str]:
        return parts[tr.lang]

    recipients = notify.subscribers(svc, "bulletins")
    notify.notify(svc, recipients, publication_key(issue), "bulletin", frozen, now)
    return Outcome(issue, created=True)


def publish_next(svc: Services, by_user: int, now: datetime) -> Issue:
    """Publish the next issue at an admin's word; refuse when there is nothing new."""
    outcome = publish(svc, now, by_user, "manual")
    issue = outcome.issue
    if issue is None:
        raise NothingLogged()
    if not outcome.created:
        raise NothingNew(label=lambda tr: issue_label(tr, issue.year, issue.number))
    return issue


def issues(svc: Services) -> list[Issue]:
    """The archive of published issues, newest first."""
    return bulletins.list_issues(svc.db)


def find_issue(svc: Services, year: int, number: int, typed: str) -> Issue:
    """A published issue by year and number (`typed`: as the user wrote it, for a refusal)."""
    issue = bulletins.get_issue(svc.db, year, number)
    if issue is None:
        raise NoSuchIssue(ref=esc(typed[:40]))
    return issue


def issue_parts(svc: Services, issue: Issue, lang: str) -> list[str]:
    """An issue's message parts exactly as published, in a language."""
    return bulletins.issue_parts(svc.db, issue.id, lang)


def issue_sections(svc: Services, issue: Issue, lang: str) -> list[str]:
    """An issue's sections as published (what a document is made of), in a language."""
    return bulletins.issue_parts(svc.db, issue.id, f"{lang}:sections")


def decide(
    svc: Services, approval_id: int | None, state: str, by: Person, now: datetime
) -> Decided:
    """Approve (publish now) or hold a scheduled issue awaiting approval, once."""
    approval = bulletins.get_approval(svc.db, approval_id) if approval_id is not None else None
    if approval is None:
        raise ApprovalGone()
    if not bulletins.decide_approval(svc.db, approval.id, state, by.user_id, now):
        raise AlreadyDecided()
    audit: dict[str, Any] = {"approval": approval.id, "decision": state}
    if state != "approved":
        return Decided(approval, None, audit)
    outcome = publish(svc, now, by.user_id, "approval")
    if not (outcome.created and outcome.issue is not None):
        return Decided(approval, None, audit)
    bulletins.attach_issue(svc.db, approval.id, outcome.issue.id)
    audit["issue"] = f"{outcome.issue.year}/{outcome.issue.number}"
    return Decided(approval, outcome.issue, audit)


def schedule_rule(svc: Services) -> Schedule | None:
    """When the bot publishes by itself, if it does."""
    return bulletins.get_schedule(svc.db)
