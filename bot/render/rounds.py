"""Reporting rounds in words: the request and reminders a unit's staff receive, the report
as it is logged, a round's standing, the compliance record, the bulletin's section, the
schedules. Units read as names with the code beside them; counts carry measure words in
Chinese (2家单位, 3个项目).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.domain.rounds import (
    Answers,
    Cadence,
    Compliance,
    Scope,
    Standing,
    Status,
    UnitRecord,
)
from bot.domain.timeparse import OffsetError, parse_offsets
from bot.i18n import N_, Tr
from bot.render.dates import show_datetime, show_day
from bot.render.project import category_name, one_line
from bot.render.recurrence import WEEKDAY_NAMES, duration_words
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from storage.projects import Project
from storage.rounds import Report, Round

TIER_NAMES = {"key": N_("key"), "regular": N_("regular"), "watch": N_("watch-list")}
CELLS: dict[Status | None, str] = {
    "on_time": "✅",
    "late": "⏰",
    "missing": "❌",
    "open": "⏳",
    None: "·",
}
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


def scope_text(tr: Tr, scope: Scope) -> str:
    """'all running projects', or the categories, tiers and codes named."""
    if scope.everything:
        return tr("all running projects")
    names = [category_name(tr, c) for c in scope.categories]
    names += [tr(TIER_NAMES.get(t, t)) for t in scope.tiers]
    names += [esc(c) for c in scope.codes]
    return tr.join(names)


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


def _counted(tr: Tr, standing: Standing) -> str:
    """'3 units asked: 1 on time, 1 late, 1 not reported' / '应报送3家单位：…'."""
    n = len(standing.units)
    missing = standing.count("missing") + standing.count("open")
    if standing.closed:
        return tr.ngettext(
            "{n} unit asked: {on_time} on time, {late} late, {missing} not reported",
            "{n} units asked: {on_time} on time, {late} late, {missing} not reported",
            n,
            on_time=standing.count("on_time"),
            late=standing.count("late"),
            missing=missing,
        )
    return tr.ngettext(
        "{n} unit asked: {on_time} on time, {late} late, {missing} not yet reported",
        "{n} units asked: {on_time} on time, {late} late, {missing} not yet reported",
        n,
        on_time=standing.count("on_time"),
        late=standing.count("late"),
        missing=missing,
    )


def _unit(tr: Tr, record: UnitRecord, names: Mapping[str, str]) -> str:
    label = unit_label(tr, record.unit, names)
    if record.asked > 1 and record.reported < record.asked:
        return tr("{unit} ({done}/{asked})", unit=label, done=record.reported, asked=record.asked)
    return label


_STATUS_LINES = {
    "on_time": N_("✅ On time: {units}"),
    "late": N_("⏰ Late: {units}"),
    "missing": N_("❌ Not reported: {units}"),
    "open": N_("⏳ Not yet reported: {units}"),
}


def _by_status(tr: Tr, standing: Standing, names: Mapping[str, str]) -> list[str]:
    lines = []
    for status, message in _STATUS_LINES.items():
        units = [_unit(tr, u, names) for u in standing.units if u.status == status]
        if units:
            lines.append(tr(message, units=tr.join(units)))
    return lines


def standing_text(tr: Tr, tz: ZoneInfo, standing: Standing, names: Mapping[str, str]) -> str:
    """/round: the round, its window, and every unit asked by how it stands."""
    lines = [
        tr("<b>Reporting round #{n}</b>", n=standing.round_id),
        tr("Scope: {scope}", scope=scope_text(tr, standing.scope)),
        tr(
            "Opened {opened}; deadline {deadline}",
            opened=show_datetime(standing.opened_at, tz, tr),
            deadline=show_datetime(standing.deadline_at, tz, tr),
        ),
    ]
    if standing.closed:
        lines.append(tr("The deadline has passed; late reports are still taken."))
    lines.append(_counted(tr, standing))
    return "\n".join(lines + _by_status(tr, standing, names))


def closed_notice(tr: Tr, tz: ZoneInfo, standing: Standing, names: Mapping[str, str]) -> str:
    """The admins' summary when a round's deadline passes."""
    lines = [
        tr("<b>Round #{n}: the deadline has passed</b>", n=standing.round_id),
        _counted(tr, standing),
    ]
    return "\n".join(lines + _by_status(tr, standing, names) + [tr("See /round.")])


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


def compliance_text(tr: Tr, tz: ZoneInfo, record: Compliance, names: Mapping[str, str]) -> str:
    """/compliance: each unit's cells over the last rounds, with its counts."""
    rounds = record.rounds
    if not rounds:
        return tr("No reporting round has been opened yet.")
    lines = [
        tr.ngettext(
            "<b>Report compliance: the last round</b>",
            "<b>Report compliance: the last {n} rounds</b>",
            len(rounds),
        ),
        tr(
            "Rounds: {rounds}",
            rounds=tr.join(
                tr(
                    "#{n} {date}",
                    n=r.round_id,
                    date=show_day(r.opened_at.astimezone(tz).date(), tr),
                )
                for r in rounds
            ),
        ),
        tr("✅ on time ⏰ late ❌ not reported ⏳ still open · not asked"),
    ]
    for history in record.units:
        lines.append(
            tr(
                "{unit}: {cells} (on time {on_time}, late {late}, not reported {missing})",
                unit=unit_label(tr, history.unit, names),
                cells="".join(CELLS[c] for c in history.cells),
                on_time=history.count("on_time"),
                late=history.count("late"),
                missing=history.count("missing"),
            )
        )
    return "\n".join(lines)


def bulletin_section(
    tr: Tr, tz: ZoneInfo, standings: Sequence[Standing], names: Mapping[str, str]
) -> str:
    """The bulletin's section on the rounds of its period and who reported."""
    lines = [tr("<b>Periodic reports</b>")]
    for standing in standings:
        head = tr(
            "Round #{n} (deadline {when})",
            n=standing.round_id,
            when=show_datetime(standing.deadline_at, tz, tr),
        )
        lines.append(tr("{head}: {text}", head=head, text=_counted(tr, standing)))
        lines += _by_status(tr, standing, names)
    return "\n".join(lines)


def cadence_text(tr: Tr, cadence: Cadence) -> str:
    """'every week on Friday at 09:00' / '每周五 09:00'."""
    if cadence.freq == "weekly":
        rule = tr("every week on {days}", days=tr(WEEKDAY_NAMES[cadence.day]))
    else:
        rule = tr("every month on day {day}", day=cadence.day)
    return tr("{rule} at {time}", rule=rule, time=cadence.at)


def deadline_rule_text(tr: Tr, rule: str) -> str:
    """A schedule's deadline rule: '2 days after opening', or the time as typed."""
    try:
        lengths = parse_offsets(rule)
    except OffsetError:
        lengths = []
    if len(lengths) == 1:
        return tr("{length} after opening", length=duration_words(lengths[0], tr))
    return esc(rule)


def schedule_line(
    tr: Tr,
    tz: ZoneInfo,
    schedule_id: int,
    cadence: Cadence,
    deadline: str,
    scope: Scope,
    next_open: datetime | None,
) -> str:
    """One schedule: its number, cadence, deadline rule, scope and next opening."""
    return tr(
        "#{id} {cadence}; deadline: {deadline}; scope: {scope}; next: {when}",
        id=schedule_id,
        cadence=cadence_text(tr, cadence),
        deadline=deadline_rule_text(tr, deadline),
        scope=scope_text(tr, scope),
        when=show_datetime(next_open, tz, tr) if next_open else "—",
    )


def schedule_skipped(tr: Tr, schedule_id: int, reason: str) -> str:
    """The admins' notice when a scheduled round could not open."""
    return tr(
        "The round of schedule #{id} was not opened: {reason}",
        id=schedule_id,
        reason=reason or tr("its deadline rule gives no time after the opening."),
    )
