"""Scheduling meetings: /meeting_new, /invite, /meeting_move, /meeting_cancel and /ics.

Each handler parses its arguments, calls one function of bot.services.meetings (which
does the rows, the re-planning of everything timed on the meeting and the notices) and
renders the result. A refusal (bot.meeting_errors) is worded by bot.render.meeting_errors.
A move or cancellation replies with the same text the notice carries, and the service
leaves the chat the command came from out of the notice: one message there, not two.
"""

from __future__ import annotations

from datetime import date

from bot.domain.keywords import ALL_UNITS_WORDS, ALL_WORDS, THIS_WORDS, is_word
from bot.domain.meeting_errors import MeetingError
from bot.domain.meeting_times import Meeting, parse_kind
from bot.domain.normalize import split_head, split_list, token
from bot.domain.timeparse import (
    RecurrenceError,
    When,
    WhenError,
    check_future,
    parse_due,
    parse_recurrence,
    parse_when,
)
from bot.i18n import N_
from bot.render.dates import show_datetime
from bot.render.meeting import cancelled_notice, created, moved_notice, when_error
from bot.render.meeting_errors import meeting_refusal, recurrence_error
from bot.render.meeting_warnings import ScheduleCheck, warning_lines
from bot.render.text import esc
from bot.render.units import unit_labels
from bot.services import meetings
from bot.telegram.commands import (
    Call,
    CommandSpec,
    Document,
    Field,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)

MAX_TITLE, MAX_PLACE, MAX_REASON = 200, 500, 500
KIND_WORDS = N_("coordination, joint, working, evaluation")


def meeting_id(call: Call, text: str) -> int:
    """The meeting number an argument names ('12' or '#12'), or the usage answer."""
    ident = parse_number(token(text).lstrip("#"))
    if ident is None:
        raise UsageError(call.tr("A meeting is named by its number, e.g. 12."))
    return ident


def refused(call: Call, error: MeetingError) -> Refusal:
    """The refusal of a meeting change, in the caller's language."""
    return Refusal(meeting_refusal(error, call.services.config.tz, call.tr))


def load_meeting(call: Call, text: str) -> Meeting:
    """The meeting an argument names, or a clear refusal (handlers/agenda.py uses it too)."""
    try:
        return meetings.require(call.services, meeting_id(call, text), call.now)
    except MeetingError as exc:
        raise refused(call, exc) from None


def read_when(call: Call, text: str) -> When:
    """Parse a future meeting time in the configured zone, or refuse with the reason."""
    tz = call.services.config.tz
    try:
        when = parse_when(text, call.now, tz)
    except WhenError as exc:
        raise Refusal(when_error(call.tr, exc.code, day=exc.day, typed=text)) from None
    try:
        check_future(when, call.now)
    except WhenError as exc:
        shown = show_datetime(when.start, tz, call.tr)
        raise Refusal(when_error(call.tr, exc.code, shown)) from None
    return When(when.start.replace(microsecond=0), when.end.replace(microsecond=0))


def read_day(call: Call, text: str) -> date:
    """The date naming one occurrence (2026-12-08, 12月8日, next tue), or the usage answer."""
    try:
        return parse_due(text, call.now, call.services.config.tz)
    except WhenError:
        raise UsageError(
            call.tr(
                "I could not read the date {date}. Write it like 2026-12-08 or 12月8日.",
                date=esc(text[:40]),
            )
        ) from None


def warned(call: Call, check: ScheduleCheck) -> list[str]:
    """The scheduling warnings, one line each."""
    return [f"⚠️ {w}" for w in warning_lines(check, call.services.config.tz, call.tr)]


def meeting_new(call: Call) -> Reply:
    """Schedule a meeting from plain-language time and optional recurrence."""
    kind_text, when_text, title, place, rule_text = call.fields(3, 5, free={2, 3})
    kind = parse_kind(kind_text)
    if kind is None:
        raise Refusal(
            call.tr(
                "Unknown meeting kind {kind}. Use one of: {kinds}.",
                kind=esc(kind_text[:40]),
                kinds=call.tr(KIND_WORDS),
            )
        )
    if len(title) > MAX_TITLE or len(place) > MAX_PLACE:
        raise UsageError(call.tr("The title or place is too long."))
    when = read_when(call, when_text)
    rrule = None
    if rule_text:
        try:
            rrule = parse_recurrence(rule_text)
        except RecurrenceError:
            raise Refusal(recurrence_error(call.tr)) from None
    try:
        done = meetings.create(
            call.services,
            kind=kind,
            title=title,
            place=place,
            when=when,
            rrule=rrule,
            by=call.user.user_id,
            now=call.now,
        )
    except MeetingError as exc:
        raise refused(call, exc) from None
    call.audit_detail.update(done.audit)
    tz = call.services.config.tz
    text = created(
        done.meeting, done.next_starts, warning_lines(done.check, tz, call.tr), tz, call.tr
    )
    return Reply(text=text)


def invite(call: Call) -> Reply:
    """Set the units invited to a meeting ('all' for every unit)."""
    ident, rest = split_head(call.args)
    codes = [c.upper() for c in split_list(rest)]
    if not ident or not codes:
        raise UsageError()
    mid = meeting_id(call, ident)
    if len(codes) == 1 and is_word(codes[0], ALL_UNITS_WORDS):
        codes = []
    try:
        done = meetings.invite(call.services, mid, codes, call.now)
    except MeetingError as exc:
        raise refused(call, exc) from None
    call.audit_detail.update(done.audit)
    invited = done.meeting.invited
    units = unit_labels(call.tr, invited, done.names) if invited else call.tr("all units")
    lines = [call.tr("Invited to #{id}: {units}.", id=mid, units=units)]
    return Reply(text="\n".join(lines + warned(call, done.check)))


def meeting_move(call: Call) -> Reply:
    """Give a meeting, a whole series or (with a date) one occurrence a new time."""
    head, when_text = call.fields(2, 2)
    ident, day_text = split_head(head)
    mid = meeting_id(call, ident)
    day = read_day(call, day_text) if day_text else None
    when = read_when(call, when_text)
    try:
        done = meetings.move(call.services, mid, when, call.now, day=day, origin=call.chat.chat_id)
    except MeetingError as exc:
        raise refused(call, exc) from None
    call.audit_detail.update(done.audit)
    tz = call.services.config.tz
    text = moved_notice(done.meeting, done.old_start, tz, call.tr, done.one_occurrence)
    return Reply(text="\n".join([text, *warned(call, done.check)]))


def meeting_cancel(call: Call) -> Reply:
    """Cancel a meeting, one occurrence (the next, or by its date) or a whole series."""
    head, _sep, reason = call.args.partition("|")
    ident, scope = split_head(head)
    reason = reason.strip()
    if not ident or len(reason) > MAX_REASON:
        raise UsageError()
    mid = meeting_id(call, ident)
    which: meetings.Which = None
    if is_word(scope, THIS_WORDS):
        which = "this"
    elif is_word(scope, ALL_WORDS):
        which = "all"
    elif scope:
        which = read_day(call, scope)
    try:
        done = meetings.cancel(
            call.services, mid, which, reason, call.now, origin=call.chat.chat_id
        )
    except MeetingError as exc:
        raise refused(call, exc) from None
    call.audit_detail.update(done.audit)
    tz = call.services.config.tz
    return Reply(text=cancelled_notice(done.meeting, done.whole, reason, tz, call.tr))


def ics(call: Call) -> Reply:
    """The meeting as an iCalendar file."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    try:
        entry = meetings.calendar_entry(call.services, meeting_id(call, words[0]), call.now)
    except MeetingError as exc:
        raise refused(call, exc) from None
    meeting = entry.meeting
    from bot.render.ics import meeting_ics  # icalendar loads only when a file is asked for

    data = meeting_ics(meeting, entry.offsets, call.now)
    caption = call.tr(
        "#{id} {title} — open the file to add it to your calendar.",
        id=meeting.id,
        title=esc(meeting.title),
    )
    return Reply(document=Document(f"meeting-{meeting.id}.ics", data, caption))


COMMANDS = [
    CommandSpec(
        "meeting_new",
        meeting_new,
        N_("schedule a meeting"),
        N_("/meeting_new <kind> | <when> | <title> [| <place or link>] [| <recurrence>]"),
        N_(
            "/meeting_new joint | next friday 3pm | Joint meeting Q4 | Room 301 | "
            "every month on the 2nd tue"
        ),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Kind (coordination, joint, working, evaluation)?")),
            Field(N_("When (e.g. 2026-12-04 14:00, next friday 3pm, 下周五下午3点)?")),
            Field(N_("Title?")),
            Field(N_("Place or link?"), optional=True),
            Field(N_("Repeats (e.g. every week on tue, 每月第二个周二)?"), optional=True),
        ),
    ),
    CommandSpec(
        "invite",
        invite,
        N_("choose the units invited to a meeting"),
        N_("/invite <id> <UNIT-CODE ...|all>"),
        N_("/invite 12 TECH BJ"),
        role="admin",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "meeting_move",
        meeting_move,
        N_("move a meeting to a new time"),
        N_("/meeting_move <id> [<date of one occurrence>] | <when>"),
        N_("/meeting_move 12 2026-12-08 | 12月9日 14:00-16:00"),
        role="admin",
        writes=True,
        fields=(Field(N_("Meeting number?")), Field(N_("New time?"))),
    ),
    CommandSpec(
        "meeting_cancel",
        meeting_cancel,
        N_("cancel a meeting, one occurrence or a series"),
        N_("/meeting_cancel <id> [this|all|<date of one occurrence>] [| reason]"),
        N_("/meeting_cancel 12 this | moved to the plenary"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "ics",
        ics,
        N_("a meeting as a calendar file"),
        N_("/ics <id>"),
        N_("/ics 12"),
        role="member",
    ),
]
