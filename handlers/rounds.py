"""Reporting rounds: /round_new, /round, /compliance, /report (a guided form), /round_schedule,
and the buttons on the requests ("Report on CODE") and on the secretariat's coordination
notices ("Put on the next joint meeting's agenda").

Each handler parses, calls one function of bot.services.rounds, round_reads or
round_schedules, and renders with bot.render.rounds. `/report CODE` alone (or the request's
button) opens the form with the project already given, so the next messages answer the four
parts; `/report CODE | progress | issues | next steps | coordination` does it in one go.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.domain.keywords import OFF_WORDS, is_word
from bot.domain.normalize import split_head, token
from bot.domain.rounds import (
    Answers,
    Scope,
    next_opening,
    parse_cadence,
    parse_deadline,
    parse_scope,
)
from bot.domain.timeparse import WhenError
from bot.i18n import N_
from bot.render import round_views as views
from bot.render import rounds as render
from bot.render.text import clip, esc
from bot.services import round_agenda, round_reads, round_schedules, rounds
from bot.services.people import unit_names
from bot.services.refused import Refused
from bot.telegram.commands import (
    ButtonSpec,
    Call,
    CommandSpec,
    Field,
    FollowUp,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)
from handlers._args import refusing
from storage.projects import parse_category

REPORT = "report"
ECHO_LIMIT = 3000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read_deadline(call: Call, text: str, start: datetime) -> datetime:
    """A deadline as typed, from `start`, or a refusal saying what could not be read."""
    tz = call.services.config.tz
    try:
        return parse_deadline(text, start, tz)
    except WhenError as exc:
        if exc.code == "past" and exc.day is not None:
            raise Refusal(
                call.tr("The deadline {when} has already passed.", when=esc(text[:60]))
            ) from None
        raise Refusal(
            call.tr(
                "I could not read the deadline {typed}. Write a length (2d, 36h, 3天) or a "
                "time (fri 17:00, 周五17:00).",
                typed=esc(text[:60]),
            )
        ) from None


def round_new(call: Call) -> Reply:
    """Open a round now, for every running project or a scope."""
    deadline_text, scope_text = call.fields(1, 2)
    deadline = read_deadline(call, deadline_text, call.now)
    scope = parse_scope(scope_text, parse_category)
    done = rounds.open_round(call.services, scope, deadline, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    text = render.opened_text(
        call.tr,
        call.services.config.tz,
        done.round,
        done.units,
        done.projects,
        done.unstaffed,
        done.unfollowed,
        done.names,
        done.early,
    )
    return Reply(text=text)


def round_view(call: Call) -> Reply:
    """The current round (or one by number), unit by unit."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    number = parse_number(words[0].lstrip("#")) if words else None
    if words and number is None:
        raise UsageError()
    svc = call.services
    if number is None:
        found = round_reads.current(svc, call.now)
    else:
        found = round_reads.of_round(svc, number, call.now)
    if found is None:
        return Reply(text=call.tr("No reporting round has been opened yet."))
    return Reply(text=views.standing_text(call.tr, svc.config.tz, found, unit_names(svc)))


def compliance(call: Call) -> Reply:
    """Each unit's record over the last n rounds."""
    words = call.words()
    last = parse_number(words[0]) if len(words) == 1 else None
    if len(words) > 1 or (words and (last is None or last < 1)):
        raise UsageError()
    svc = call.services
    record = round_reads.compliance(svc, last or round_reads.DEFAULT_LAST, call.now)
    return Reply(text=views.compliance_text(call.tr, svc.config.tz, record, unit_names(svc)))


def _report_args(call: Call) -> tuple[str, list[str]]:
    """The project code and the four parts as typed (padded with ''): the progress may
    follow the code directly, or after a |."""
    head, *rest = [_CONTROL.sub("", p).strip() for p in call.args.split("|")]
    code, first = split_head(head)
    parts = [first, *rest] if first else rest
    if not code or len(parts) > 4:
        raise UsageError()
    return code, parts + [""] * (4 - len(parts))


def report(call: Call) -> Reply:
    """Report on a project for the round that asked; with the code alone, open the form."""
    code, parts = _report_args(call)
    svc, tz = call.services, call.services.config.tz
    if not any(parts):
        found = rounds.asking(svc, code, call.user, call.now)
        prompt = render.form_opening(
            call.tr, tz, found.round.id, found.project.code, found.round.deadline_at, found.late
        )
        return Reply(text=prompt, follow_up=FollowUp(REPORT, (found.project.code,), prompt))
    if not parts[0]:
        raise UsageError(call.tr("Progress this period is required."))
    try:
        done = rounds.report(
            svc, code, Answers.of(*parts), call.user, call.tr.lang, call.now, call.chat.chat_id
        )
    except Refused as exc:
        raise _text_back(call, exc) from None
    call.audit_detail.update(done.audit)
    text = render.reported_text(
        call.tr,
        tz,
        done.asking.project.code,
        done.asking.round.id,
        done.entry.id,
        done.entry.tags,
        done.report.late,
        done.asking.round.deadline_at,
        bool(done.report.coordination),
    )
    if done.notice_here is not None:
        text += "\n\n" + done.notice_here(call.tr)
    return Reply(text=text)


def _text_back(call: Call, refused: Refused) -> Refusal:
    """The refusal with the whole report given back, so nothing typed is lost."""
    typed = clip(f"/{REPORT} {call.args.strip()}", ECHO_LIMIT)
    echo = esc(typed) if "\n" in typed else f"<code>{esc(typed)}</code>"
    note = call.tr("Nothing was logged. Your text, to correct and send again:")
    return Refusal("\n".join([refused.text(call.tr), note, echo]), refused.outcome)


def round_schedule(call: Call) -> Reply:
    """List the round schedules, add one, or stop one."""
    svc, tz, _ = call.services, call.services.config.tz, call.tr
    words = call.words()
    if not words:
        listed = round_schedules.listing(svc)
        if not listed:
            return Reply(text=_("No reporting rounds are scheduled."))
        lines = [_("<b>Scheduled reporting rounds</b>")]
        for p in listed:
            row = p.schedule
            every, scope = round_schedules.cadence_of(row), Scope.from_stored(row.scope)
            lines.append(
                views.schedule_line(_, tz, row.id, every, row.deadline, scope, p.next_open)
            )
        return Reply(text="\n".join(lines))
    if is_word(words[0], OFF_WORDS):
        number = parse_number(words[1].lstrip("#")) if len(words) == 2 else None
        if number is None:
            raise UsageError()
        round_schedules.stop(svc, number, call.now)
        call.audit_detail.update(schedule=number, stopped=True)
        return Reply(text=_("Round schedule #{id} stopped; the rounds it opened stay.", id=number))
    head, deadline_text, scope_text = call.fields(2, 3)
    cadence = parse_cadence(head.split())
    if cadence is None:
        raise UsageError()
    scope = parse_scope(scope_text, parse_category)
    first = next_opening(cadence, call.now, tz)
    read_deadline(call, deadline_text, first)
    planned = round_schedules.add(
        svc, cadence, token(deadline_text), scope, call.user.user_id, call.now
    )
    call.audit_detail.update(planned.audit)
    line = views.schedule_line(
        _, tz, planned.schedule.id, cadence, planned.schedule.deadline, scope, planned.next_open
    )
    return Reply(text=_("Reporting rounds scheduled:") + "\n" + line)


def start_report(call: Call, payload: str) -> Reply:
    """The request's button: open the report form for that project in the presser's chat."""
    found = rounds.asking(call.services, payload, call.user, call.now)
    prompt = render.form_opening(
        call.tr,
        call.services.config.tz,
        found.round.id,
        found.project.code,
        found.round.deadline_at,
        found.late,
    )
    return Reply(text=prompt, follow_up=FollowUp(REPORT, (found.project.code,), prompt))


def put_on_agenda(call: Call, payload: str) -> Reply:
    """The coordination notice's button: the next joint meeting's agenda gets the item."""
    with refusing(call):
        done = round_agenda.to_agenda(call.services, parse_number(payload), call.user, call.now)
    call.audit_detail.update(done.audit)
    text = render.on_agenda_text(
        call.tr, done.meeting_id, done.title, done.number, call.user.display_name
    )
    return Reply(text=text, toast=text)


COMMANDS = [
    CommandSpec(
        "round_new",
        round_new,
        N_("open a reporting round"),
        N_("/round_new <deadline> [| <scope: all, categories, project codes>]"),
        N_("/round_new fri 17:00 | tech BJ-07"),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Deadline (e.g. 2d, fri 17:00, 周五17:00)?")),
            Field(N_("Scope (all, a category, project codes)?"), optional=True),
        ),
    ),
    CommandSpec(
        "round",
        round_view,
        N_("the current reporting round, unit by unit"),
        N_("/round [<round no>]"),
        N_("/round"),
    ),
    CommandSpec(
        "compliance",
        compliance,
        N_("each unit's reporting record over the last rounds"),
        N_("/compliance [<number of rounds>]"),
        N_("/compliance 6"),
    ),
    CommandSpec(
        "report",
        report,
        N_("report on a project for the reporting round"),
        N_(
            "/report <CODE> [| <progress> | <issues and risks> | <next steps> | "
            "<items needing coordination>]"
        ),
        N_(
            "/report BJ-01 | first live settlements | interface timeouts | go live in March "
            "| cross-agency data sharing"
        ),
        role="staff",
        writes=True,
        fields=(
            Field(render.FIELD_PROMPTS[0]),
            Field(render.FIELD_PROMPTS[1]),
            Field(render.FIELD_PROMPTS[2], optional=True),
            Field(render.FIELD_PROMPTS[3], optional=True),
            Field(render.FIELD_PROMPTS[4], optional=True),
        ),
    ),
    CommandSpec(
        "round_schedule",
        round_schedule,
        N_("open reporting rounds on a schedule"),
        N_(
            "/round_schedule weekly <mon..sun> <HH:MM> | <deadline> [| <scope>], or monthly "
            "<1-28> <HH:MM> | …, or off <n>; alone, the list"
        ),
        N_("/round_schedule weekly mon 09:00 | fri 17:00 | tech"),
        role="admin",
        writes=True,
    ),
]

BUTTONS = [
    ButtonSpec(rounds.REPORT_BUTTON, start_report, role="staff", writes=False),
    ButtonSpec(round_agenda.AGENDA_BUTTON, put_on_agenda, role="admin"),
]

FIRERS = round_schedules.FIRERS
ON_START = [round_schedules.on_start]
