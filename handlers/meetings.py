"""Scheduling meetings: /meeting_new, /invite, /meeting_move, /meeting_cancel and /ics."""

from __future__ import annotations

from bot.commands import (
    Call,
    CommandSpec,
    Document,
    Field,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)
from bot.i18n import N_, Tr
from bot.keywords import ALL_UNITS_WORDS, ALL_WORDS, THIS_WORDS, is_word
from bot.meeting_times import (
    occ_key,
    parse_kind,
    starts_after,
)
from bot.meeting_warnings import meeting_warnings
from bot.normalize import split_head, split_list, token
from bot.render.dates import show_datetime
from bot.render.ics import meeting_ics
from bot.render.meeting import cancelled_notice, created, moved_notice, when_error
from bot.render.text import esc
from bot.render.units import unit_labels, unit_names, unknown_units
from bot.services import agenda
from bot.timeparse import (
    RecurrenceError,
    When,
    WhenError,
    check_future,
    parse_recurrence,
    parse_when,
)
from handlers.reminders import arm_meeting, disarm, notify, offsets_of
from storage import meetings, people
from storage.meetings import Meeting

MAX_TITLE, MAX_PLACE, MAX_REASON = 200, 500, 500
KIND_WORDS = N_("coordination, joint, working, evaluation")


def load_meeting(call: Call, text: str) -> Meeting:
    """The meeting an argument names ('12' or '#12'), or a clear refusal."""
    ident = parse_number(token(text).lstrip("#"))
    if ident is None:
        raise UsageError(call.tr("A meeting is named by its number, e.g. 12."))
    meeting = meetings.get_meeting(call.db, ident, call.now)
    if meeting is None:
        raise Refusal(call.tr("There is no meeting #{id}.", id=ident))
    return meeting


def warnings(call: Call, meeting: Meeting) -> list[str]:
    """Holiday, weekend and overlap warnings, in the caller's language."""
    return meeting_warnings(call.db, meeting, call.now, call.services.config.tz, call.tr)


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
    tz = call.services.config.tz
    rrule, start = None, when.start
    if rule_text:
        try:
            rrule = parse_recurrence(rule_text)
            start = starts_after(when.start, rrule, tz, when.start, 1)[0]
        except (RecurrenceError, IndexError):
            raise Refusal(recurrence_error(call.tr)) from None
    new_id = meetings.create(
        call.db,
        kind=kind,
        title=title,
        place=place,
        start=start,
        end=start + (when.end - when.start),
        tz=tz.key,
        rrule=rrule,
        created_by=call.user.user_id,
        now=call.now,
    )
    meeting = meetings.get_meeting(call.db, new_id, call.now)
    assert meeting is not None
    arm_meeting(call.services, meeting, call.now)
    call.audit_detail.update(meeting=new_id, start=start.isoformat(), rrule=rrule)
    text = created(
        meeting,
        meeting.starts(call.now, 3),
        warnings(call, meeting),
        tz,
        call.tr,
    )
    return Reply(text=text)


def recurrence_error(tr: Tr) -> str:
    """Why a recurrence was refused."""
    return tr(
        "I could not read that recurrence. Try every week on tue, "
        "every month on the 2nd tue or 每月第二个周二."
    )


def invite(call: Call) -> Reply:
    """Set the units invited to a meeting ('all' for every unit)."""
    ident, rest = split_head(call.args)
    codes = [c.upper() for c in split_list(rest)]
    if not ident or not codes:
        raise UsageError()
    meeting = load_meeting(call, ident)
    if len(codes) == 1 and is_word(codes[0], ALL_UNITS_WORDS):
        codes = []
    codes = list(dict.fromkeys(codes))
    unknown = [c for c in codes if people.get_unit(call.db, c) is None]
    if unknown:
        raise Refusal(unknown_units(call.tr, unknown))
    meetings.set_invited(call.db, meeting.id, codes)
    updated = meetings.get_meeting(call.db, meeting.id, call.now)
    assert updated is not None
    call.audit_detail.update(meeting=meeting.id, units=codes)
    names = unit_names(call.db)
    units = unit_labels(call.tr, updated.invited, names) or call.tr("all units")
    lines = [call.tr("Invited to #{id}: {units}.", id=meeting.id, units=units)]
    lines += [f"⚠️ {w}" for w in warnings(call, updated)]
    return Reply(text="\n".join(lines))


def meeting_move(call: Call) -> Reply:
    """Give a meeting (a whole series) a new time; tell subscribers and attendees."""
    ident, when_text = call.fields(2, 2)
    meeting = load_meeting(call, ident)
    if meeting.cancelled:
        raise Refusal(call.tr("Meeting #{id} is cancelled.", id=meeting.id))
    when = read_when(call, when_text)
    start = when.start
    if meeting.rrule:
        found = starts_after(when.start, meeting.rrule, meeting.zone, when.start, 1)
        if not found:
            raise Refusal(recurrence_error(call.tr))
        start = found[0]
    disarm(call.services, meeting)
    meetings.move(call.db, meeting.id, start, start + (when.end - when.start), call.now)
    moved = meetings.get_meeting(call.db, meeting.id, call.now)
    assert moved is not None
    arm_meeting(call.services, moved, call.now)
    agenda.replan(call.services, moved, call.now)  # the agenda's rows at the new time
    tz = call.services.config.tz
    notify(
        call.services,
        f"mmove:{moved.id}:{moved.version}",
        "notice",
        moved.id,
        [meeting.rsvp_key],
        lambda tr: moved_notice(moved, meeting.start, tz, tr),
        call.now,
    )
    call.audit_detail.update(meeting=moved.id, start=start.isoformat())
    text = moved_notice(moved, meeting.start, tz, call.tr)
    return Reply(
        text="\n".join(
            [
                text,
                *(
                    f"⚠️ {w}"
                    for w in meeting_warnings(
                        call.db, moved, call.now, call.services.config.tz, call.tr
                    )
                ),
            ]
        )
    )


def meeting_cancel(call: Call) -> Reply:
    """Cancel a meeting, one occurrence or a whole series; tell subscribers and attendees."""
    head, _sep, reason = call.args.partition("|")
    words, reason = [token(w) for w in head.split()], reason.strip()
    if not 1 <= len(words) <= 2 or len(reason) > MAX_REASON:
        raise UsageError()
    meeting = load_meeting(call, words[0])
    scope = words[1].lower() if len(words) == 2 else ""
    if scope and scope not in THIS_WORDS | ALL_WORDS:
        raise UsageError()
    if meeting.cancelled:
        raise Refusal(call.tr("Meeting #{id} is already cancelled.", id=meeting.id))
    whole = not meeting.is_series or scope in ALL_WORDS
    if meeting.is_series and not scope:
        raise Refusal(call.tr("#{id} repeats: say this (the next one) or all.", id=meeting.id))
    if whole:
        keys = [meeting.at(s).rsvp_key for s in meeting.starts(call.now, 10)] or [""]
        disarm(call.services, meeting)
        meetings.cancel(call.db, meeting.id, reason, call.now)
        target, key = meeting, f"mcancel:{meeting.id}:all"
    else:
        nxt = meeting.starts(call.now, 1)
        if not nxt:
            raise Refusal(call.tr("#{id} has no occurrence left to cancel.", id=meeting.id))
        target = meeting.at(nxt[0])
        keys, key = [target.rsvp_key], f"mcancel:{meeting.id}:{occ_key(nxt[0])}"
        disarm(call.services, meeting, nxt[0])
        meetings.cancel_occurrence(call.db, meeting.id, nxt[0], reason, call.now)
    after = meetings.get_meeting(call.db, meeting.id, call.now)
    assert after is not None
    agenda.replan(call.services, after, call.now)  # disarm the agenda rows it no longer has
    tz = call.services.config.tz
    notify(
        call.services,
        key,
        "notice",
        meeting.id,
        keys,
        lambda tr: cancelled_notice(target, whole, reason, tz, tr),
        call.now,
    )
    call.audit_detail.update(meeting=meeting.id, scope="all" if whole else occ_key(target.start))
    return Reply(text=cancelled_notice(target, whole, reason, tz, call.tr))


def ics(call: Call) -> Reply:
    """The meeting as an iCalendar file."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    meeting = load_meeting(call, words[0])
    data = meeting_ics(meeting, offsets_of(call.services, meeting), call.now)
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
        N_("/meeting_move <id> | <when>"),
        N_("/meeting_move 12 | 12月4日 14:00-16:00"),
        role="admin",
        writes=True,
        fields=(Field(N_("Meeting number?")), Field(N_("New time?"))),
    ),
    CommandSpec(
        "meeting_cancel",
        meeting_cancel,
        N_("cancel a meeting, one occurrence or a series"),
        N_("/meeting_cancel <id> [this|all] [| reason]"),
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
