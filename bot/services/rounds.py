"""Reporting rounds: opening one, reminding the units that have not reported, taking a
unit's report (logged as a progress entry), and putting its "items needing coordination"
on the next joint meeting's agenda.

A round asks each unit following a project in scope, privately (its staff), with a button
per project that starts the /report form. Two schedule rows per round, kind `round_remind`,
refs built and parsed here (`remind_ref`, `parse_remind_ref`): `<round>:early` at
REMIND_SHARE of the window and `<round>:deadline`. Notice keys: `round-ask:<round>:<unit>`,
`round-remind:<round>:<early|deadline>:<unit>`, `round-closed:<round>` (the admins' summary
at the deadline), `round-coord:<report>` (a coordination request, to the admins). Reading
a round's standing and the compliance record is bot/services/round_reads.py; scheduled
rounds are bot/services/round_schedules.py; the coordination offer and its agenda item,
bot/services/round_agenda.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from bot.domain.rounds import MAX_WINDOW, Answers, Scope, reminder_at
from bot.i18n import N_, Tr
from bot.render import round_views as views
from bot.render import rounds as render
from bot.render.text import esc
from bot.render.units import unit_label
from bot.services import notify, progress
from bot.services.people import unit_names
from bot.services.projects import find
from bot.services.refused import Refused, TooLong
from bot.services.round_agenda import offer
from bot.services.round_reads import compliance as compliance  # the dashboard's read
from bot.services.round_reads import standing
from storage import project_follows, projects, round_reports
from storage import rounds as stored
from storage.people import Person
from storage.progress import Entry
from storage.projects import FINAL_STAGES, Project
from storage.round_reports import Report
from storage.rounds import Round
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

REMIND = "round_remind"
Which = Literal["early", "deadline"]
REPORT_BUTTON = "rd_rep"
COORDINATION_LIMIT = 300  # it may become an agenda item's title


class DeadlineTooFar(Refused):
    """A window longer than MAX_WINDOW."""

    message = N_("A round runs at most {n} days; choose an earlier deadline.")


class ProjectEnded(Refused):
    """A scope naming a project that has exited or was terminated."""

    message = N_("{code} has left the pilot: it reports no more.")


class NothingInScope(Refused):
    """No running project in the scope."""

    message = N_("No running project is in that scope; no round was opened.")


class NobodyFollows(Refused):
    """Projects in scope that no unit follows."""

    message = N_("No unit follows {codes}; no round was opened. See /follow.")


class NoUnit(Refused):
    """A report by someone who belongs to no unit."""

    message = N_("You belong to no unit, and a report is made for a unit. Ask an admin (/role).")


class NotAsked(Refused):
    """A report no round asked for."""

    message = N_("No reporting round asks {unit} for a report on {code}.")


class AlreadyReported(Refused):
    """A second report on the same project in the same round."""

    message = N_(
        "{unit} already reported on {code} in round #{round} (entry #{entry}); "
        "correct it with /progress_edit {entry}."
    )


@dataclass(frozen=True)
class Opened:
    """A round just opened: the units asked, those with nobody to ask, the projects no unit
    follows (left out)."""

    round: Round
    units: list[str]
    projects: list[str]
    unstaffed: list[str]
    unfollowed: list[str]
    names: dict[str, str]
    early: datetime | None
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Asking:
    """The round that asks a unit about a project, and whether its deadline has passed."""

    round: Round
    project: Project
    unit: str
    late: bool


@dataclass(frozen=True)
class Reported:
    """A report taken: its row, the progress entry, and a disclosure the reply carries."""

    report: Report
    entry: Entry
    asking: Asking
    notice_here: Any = None
    audit: dict[str, Any] = field(default_factory=dict)


def remind_ref(round_id: int, which: Which) -> str:
    """The schedule ref of a round's reminder: `12:early`, `12:deadline`."""
    return f"{round_id}:{which}"


def parse_remind_ref(ref: str) -> tuple[int, str]:
    """(round number, which reminder) from a ref."""
    number, _, which = ref.partition(":")
    return int(number), which


def in_scope(svc: Services, scope: Scope) -> list[Project]:
    """The projects a scope covers: running ones (all, or of the named categories or
    supervision tiers), and every project named by code that has not left the pilot."""
    chosen: dict[str, Project] = {}
    for project in projects.list_projects(svc.db):
        if project.stage == "running" and (
            scope.everything or project.category in scope.categories or project.tier in scope.tiers
        ):
            chosen[project.code.upper()] = project
    for code in scope.codes:
        project = find(svc, code)
        if project.stage in FINAL_STAGES:
            raise ProjectEnded(code=esc(project.code))
        chosen[project.code.upper()] = project
    return [chosen[code] for code in sorted(chosen)]


def open_round(
    svc: Services,
    scope: Scope,
    deadline: datetime,
    by: int | None,
    now: datetime,
    schedule_id: int | None = None,
) -> Opened:
    """Open a round: ask every unit following a project in scope, privately, and plan the
    reminders at REMIND_SHARE of the window and at the deadline."""
    if deadline - now > MAX_WINDOW:
        raise DeadlineTooFar(n=MAX_WINDOW.days)
    chosen = in_scope(svc, scope)
    if not chosen:
        raise NothingInScope()
    pairs = [(p.code, unit) for p in chosen for unit in project_follows.followers(svc.db, p.code)]
    unfollowed = [p.code for p in chosen if not project_follows.followers(svc.db, p.code)]
    if not pairs:
        raise NobodyFollows(codes=lambda tr: esc(tr.join(unfollowed)))
    opened = stored.create_round(svc.db, scope.stored(), now, deadline, by, schedule_id, pairs)
    early: datetime | None = reminder_at(now, deadline, svc.config.tz)
    if early is not None and early > now:
        svc.scheduler.put(REMIND, remind_ref(opened.id, "early"), early)
    else:
        early = None
    svc.scheduler.put(REMIND, remind_ref(opened.id, "deadline"), deadline)
    names = unit_names(svc)
    units = sorted({unit.upper() for _, unit in pairs})
    unstaffed = []
    for unit in units:
        codes = [p for p, u in pairs if u.upper() == unit]
        staff = notify.unit_staff(svc, unit)
        if not staff:
            unstaffed.append(unit)
        _ask(svc, opened, unit, codes, names, f"round-ask:{opened.id}:{unit}", staff, now, None)
    audit = {"round": opened.id, "scope": opened.scope, "units": units, "deadline": str(deadline)}
    codes = [p.code for p in chosen if p.code not in unfollowed]
    return Opened(opened, units, codes, unstaffed, unfollowed, names, early, audit)


def _ask(
    svc: Services,
    opened: Round,
    unit: str,
    codes: list[str],
    names: dict[str, str],
    key: str,
    staff: list[int],
    now: datetime,
    which: str | None,
) -> int:
    """The request (which=None) or a reminder to a unit's staff, a button per project."""
    tz = svc.config.tz
    titles = {c: p.name for c in codes if (p := projects.get_project(svc.db, c)) is not None}

    def text(tr: Tr) -> str:
        return render.ask_notice(tr, tz, opened, unit, codes, titles, names, which)

    def buttons(tr: Tr) -> list[list[dict[str, str]]]:
        return [
            [{"text": render.report_button(tr, code), "action": REPORT_BUTTON, "payload": code}]
            for code in codes
        ]

    return notify.notify(svc, staff, key, "round", text, now, buttons=buttons)


def fire_reminder(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Remind the staff of units that have not reported on every project asked; at the
    deadline, tell the admins how the round stands too."""
    round_id, which = parse_remind_ref(job.ref)
    opened = stored.get_round(svc.db, round_id)
    if opened is None:
        return "cancelled", "no such round"
    if which == "early" and now >= opened.deadline_at:
        return "missed", "the deadline already passed"
    done = {
        (r.project_code.upper(), r.unit_code.upper())
        for r in round_reports.reports(svc.db, round_id)
    }
    waiting: dict[str, list[str]] = {}
    for code, unit in stored.asked(svc.db, round_id):
        if (code.upper(), unit.upper()) not in done:
            waiting.setdefault(unit.upper(), []).append(code)
    names = unit_names(svc)
    count = 0
    for unit, codes in waiting.items():
        key = f"round-remind:{round_id}:{which}:{unit}"
        staff = notify.unit_staff(svc, unit)
        count += _ask(svc, opened, unit, codes, names, key, staff, now, which)
    if which == "deadline":
        view = standing(svc.db, opened, now)
        tz = svc.config.tz

        def summary(tr: Tr) -> str:
            return views.closed_notice(tr, tz, view, names)

        notify.notify(svc, notify.admins(svc), f"round-closed:{round_id}", "notice", summary, now)
    return "done", f"{len(waiting)} units reminded ({count} messages)"


def asking(svc: Services, code: str, by: Person, now: datetime) -> Asking:
    """The round a report by this person on this project answers (the last one that asked
    their unit), refusing when none did or the unit already reported there."""
    project = find(svc, code)
    unit = (by.unit_code or "").upper()
    if not unit:
        raise NoUnit()
    names = unit_names(svc)
    opened = stored.latest_asking(svc.db, project.code, unit)
    if opened is None:
        raise NotAsked(unit=lambda tr: unit_label(tr, unit, names), code=esc(project.code))
    earlier = round_reports.report_of(svc.db, opened.id, project.code, unit)
    if earlier is not None and round_reports.is_live(svc.db, earlier):
        raise AlreadyReported(
            unit=lambda tr: unit_label(tr, unit, names),
            code=esc(project.code),
            round=opened.id,
            entry=earlier.entry_id,
        )
    return Asking(opened, project, unit, now >= opened.deadline_at)


def report(
    svc: Services,
    code: str,
    answers: Answers,
    by: Person,
    lang: str,
    now: datetime,
    origin_chat_id: int | None = None,
) -> Reported:
    """Take a unit's report: one progress entry (tagged #risk when it names issues or
    risks, so a risk opens as with /progress), marked late after the deadline; items
    needing coordination go to the admins with a button for the next joint meeting."""
    found = asking(svc, code, by, now)
    if len(answers.coordination) > COORDINATION_LIMIT:
        raise TooLong(COORDINATION_LIMIT)
    text = render.report_text(svc.translator.get(lang), found.round.id, found.late, answers)
    logged = progress.log(svc, found.project.code, text, by, now, origin_chat_id)
    row = round_reports.add_report(
        svc.db,
        round_id=found.round.id,
        project_code=found.project.code,
        unit_code=found.unit,
        entry_id=logged.entry.id,
        author_id=by.user_id,
        coordination=answers.coordination,
        late=found.late,
        now=now,
    )
    if answers.coordination:
        offer(svc, row, found.project, now)
    audit = {**logged.audit, "round": found.round.id, "report": row.id, "late": found.late}
    return Reported(row, logged.entry, found, logged.notice_here, audit)
