"""Reporting rounds in words: the request and reminders a unit's staff receive, the report
as it is logged and the reply to it, the form's opening, the coordination offer, what
opening a round did. A round's standing, the compliance record, the bulletin's section and
the schedules are bot/render/round_views.py. Units read as names with the code beside
them; counts carry measure words in Chinese (2家单位, 3个项目).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.domain.rounds import Answers, Scope
from bot.i18n import N_, Tr
from bot.render.dates import show_datetime
from bot.render.project import one_line
from bot.render.round_views import scope_text
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from storage.projects import Project
from storage.round_reports import Report
from storage.rounds import Round

FIELD_PROMPTS = (
    N_("Project code?"),
    N_("Progress this period?"),
    N_("Issues and risks? (what you name here is opened as a risk)"),
    N_("Next steps?"),
    N_("Items needing coordination? (offered to the secretariat for the next joint meeting)"),
)


def report_button(tr: Tr, code: str) -> str:
    """The label of the button that starts the report form for a project."""
    return tr("📝 Report on {code}", code=code)


def _projects(tr: Tr, codes: Sequence[str], titles: Mapping[str, str]) -> str:
    return tr.join(
        f"{esc(c)} {esc(one_line(titles[c], 60))}" if titles.get(c) else esc(c) for c in codes
    )


def ask_notice(
    tr: Tr,
    tz: ZoneInfo,
    opened: Round,
    unit: str,
    codes: Sequence[str],
    titles: Mapping[str, str],
    names: Mapping[str, str],
    which: str | None,
) -> str:
    """The request to a unit's staff (which=None), the reminder before the deadline
    ('early') or the one at it ('deadline'), with how to answer."""
    label, projects = unit_label(tr, unit, names), _projects(tr, codes, titles)
    when = show_datetime(opened.deadline_at, tz, tr)
    if which is None:
        lines = [
            tr("<b>Periodic report: round #{n}</b>", n=opened.id),
            tr("{unit} is asked to report on: {projects}.", unit=label, projects=projects),
            tr(
                "Deadline: {when}. A report after the deadline is still taken, marked late.",
                when=when,
            ),
            tr(
                "Four parts: progress this period; issues and risks; next steps; items "
                "needing coordination (only progress is required)."
            ),
        ]
    elif which == "early":
        lines = [
            tr("<b>Reminder: round #{n}</b>", n=opened.id),
            tr(
                "{unit} has not yet reported on: {projects}. Deadline: {when}.",
                unit=label,
                projects=projects,
                when=when,
            ),
        ]
    else:
        lines = [
            tr("<b>Deadline passed: round #{n}</b>", n=opened.id),
            tr(
                "{unit} has not reported on: {projects}; the deadline was {when}. A report is "
                "still taken, marked late.",
                unit=label,
                projects=projects,
                when=when,
            ),
        ]
    lines.append(tr("Press a button below, or send /report with the project code."))
    return "\n".join(lines)


def report_text(tr: Tr, round_id: int, late: bool, answers: Answers) -> str:
    """A report as its progress entry reads (one line: entries are shown flattened); a
    named issue carries the #risk tag, so the entry opens a risk as /progress does."""
    head = (
        tr("[Round {n} report, late]", n=round_id)
        if late
        else tr("[Round {n} report]", n=round_id)
    )
    body = tr("Progress: {text}", text=_clean(answers.progress))
    more = [
        (answers.issues, N_("#risk Issues and risks: {text}")),
        (answers.next_steps, N_("Next steps: {text}")),
        (answers.coordination, N_("Needs coordination: {text}")),
    ]
    for text, message in more:
        if text:
            body = tr("{first}; {second}", first=body, second=tr(message, text=_clean(text)))
    return tr("{head} {body}.", head=head, body=body)


def _clean(text: str) -> str:
    # One line, without the closing punctuation the joins add back.
    return " ".join(text.split()).rstrip("。；;.，, ")


def agenda_title(report: Report) -> str:
    """An agenda item's title from a report's items needing coordination (as typed)."""
    return one_line(report.coordination, 300)


def form_opening(
    tr: Tr, tz: ZoneInfo, round_id: int, code: str, deadline: datetime, late: bool
) -> str:
    """The first message of the report form once the project is known, with its first
    question."""
    lines = [
        tr("/{command}: answer each question, or /cancel to stop.", command="report"),
        tr(
            "Report on {code} for round #{n} (deadline {when}).",
            code=esc(code),
            n=round_id,
            when=show_datetime(deadline, tz, tr),
        ),
    ]
    if late:
        lines.append(tr("The deadline has passed: the report will be marked late."))
    lines.append(tr(FIELD_PROMPTS[1]))
    return "\n".join(lines)


def reported_text(
    tr: Tr,
    tz: ZoneInfo,
    code: str,
    round_id: int,
    entry_id: int,
    tags: Sequence[str],
    late: bool,
    deadline: datetime,
    coordination: bool,
) -> str:
    """The reply to a report."""
    lines = [
        tr(
            "Report on {code} for round #{n} recorded as entry #{entry}.",
            code=esc(code),
            n=round_id,
            entry=entry_id,
        )
    ]
    if late:
        lines.append(
            tr(
                "It came after the deadline ({when}) and is marked late.",
                when=show_datetime(deadline, tz, tr),
            )
        )
    if "risk" in tags:
        lines.append(tr("The issues and risks named are open as risk #{entry}.", entry=entry_id))
    if coordination:
        lines.append(tr("The items needing coordination went to the secretariat."))
    lines.append(tr("Correct it with /progress_edit {entry} within 30 minutes.", entry=entry_id))
    return "\n".join(lines)


def coordination_notice(
    tr: Tr,
    tz: ZoneInfo,
    report: Report,
    project: Project,
    names: Mapping[str, str],
    joint: Meeting | None,
) -> str:
    """What the admins receive for a report's items needing coordination."""
    lines = [
        tr("<b>Items needing coordination</b> (round #{n})", n=report.round_id),
        tr(
            "{unit} on {code} {name}: {text}",
            unit=unit_label(tr, report.unit_code, names),
            code=esc(project.code),
            name=esc(one_line(project.name, 80)),
            text=esc(report.coordination),
        ),
    ]
    if joint is None:
        lines.append(tr("No joint meeting is scheduled yet."))
    else:
        lines.append(
            tr(
                "Next joint meeting: #{id} {title}, {when}.",
                id=joint.id,
                title=esc(one_line(joint.title, 80)),
                when=show_datetime(joint.start, tz, tr),
            )
        )
    return "\n".join(lines)


def on_agenda_text(tr: Tr, meeting_id: int, title: str, number: int, by: str) -> str:
    """The pressed notice, edited: where the item went and who put it there."""
    return tr(
        "Put on the agenda of joint meeting #{id} {title} as item {n} by {name}.",
        id=meeting_id,
        title=esc(one_line(title, 80)),
        n=number,
        name=esc(by),
    )


def opened_text(
    tr: Tr,
    tz: ZoneInfo,
    opened: Round,
    units: Sequence[str],
    projects: Sequence[str],
    unstaffed: Sequence[str],
    unfollowed: Sequence[str],
    names: Mapping[str, str],
    early: datetime | None = None,
    scheduled: int | None = None,
) -> str:
    """What opening a round did: who was asked, the deadline, the reminders, gaps."""
    scope = scope_text(tr, Scope.from_stored(opened.scope))
    lines = [tr("<b>Round #{n} opened</b> ({scope})", n=opened.id, scope=scope)]
    if scheduled is not None:
        lines.append(tr("Opened on schedule #{id}.", id=scheduled))
    lines.append(
        tr(
            "Asked privately, {count} on {projects}: {units}.",
            units=unit_labels(tr, units, names),
            count=tr.ngettext("{n} unit", "{n} units", len(units)),
            projects=tr.ngettext("{n} project", "{n} projects", len(projects)),
        )
    )
    when = show_datetime(opened.deadline_at, tz, tr)
    if early is not None:
        lines.append(
            tr(
                "Deadline: {when}. Units that have not reported are reminded {early} and at "
                "the deadline.",
                when=when,
                early=show_datetime(early, tz, tr),
            )
        )
    else:
        lines.append(tr("Deadline: {when}.", when=when))
    if unstaffed:
        lines.append(
            tr(
                "No staff registered, nobody asked: {units}.",
                units=unit_labels(tr, unstaffed, names),
            )
        )
    if unfollowed:
        lines.append(tr("Followed by no unit, left out: {codes}.", codes=esc(tr.join(unfollowed))))
    lines.append(tr("See /round."))
    return "\n".join(lines)


def schedule_skipped(tr: Tr, schedule_id: int, reason: str) -> str:
    """The admins' notice when a scheduled round could not open."""
    return tr(
        "The round of schedule #{id} was not opened: {reason}",
        id=schedule_id,
        reason=reason or tr("its deadline rule gives no time after the opening."),
    )
