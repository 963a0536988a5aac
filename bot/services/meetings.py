"""Meetings: create, invite, move and cancel a meeting, a whole series or one occurrence.

Each function does the whole change: the rows; everything timed on the meeting re-planned
in one place (`_replan_timed`: its reminders and its agenda's publication, close and
carry-over rows); the notices queued through bot.services.notify; and the audit detail,
returned in the result's `audit` (the handler records it). Refusals are the domain errors
of bot.meeting_errors.

A notice about a move or a cancellation goes to the chats subscribed to `meetings` and
privately to the people attending or sending a delegate. The chat the command came from
(`origin`) is left out: the command's reply there is the same text, so a group that is
subscribed sees one message, not the reply and then the notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from bot.domain.meeting_errors import (
    AlreadyCancelled,
    BadRecurrence,
    MeetingCancelled,
    MeetingNotFound,
    NoOccurrence,
    OccurrenceCancelled,
    OccurrenceClash,
    OccurrenceStarted,
    ScopeNeeded,
    UnknownUnits,
)
from bot.domain.meeting_times import Meeting, starts_after
from bot.domain.timeparse import When
from bot.render.meeting import cancelled_notice, moved_notice
from bot.render.meeting_warnings import ScheduleCheck
from bot.render.units import unit_names
from bot.services import agenda, meeting_reads, notify, reminders
from storage import meetings as stored
from storage import people

if TYPE_CHECKING:
    from bot.services import Services

Which = date | Literal["this", "all"] | None


def require(svc: Services, meeting_id: int, now: datetime) -> Meeting:
    """A meeting by id seen at its occurrence in progress or next, or MeetingNotFound."""
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    return meeting


@dataclass(frozen=True)
class CalendarEntry:
    """What a meeting's calendar file is made of: the meeting and its reminder offsets."""

    meeting: Meeting
    offsets: tuple[timedelta, ...]


def calendar_entry(svc: Services, meeting_id: int, now: datetime) -> CalendarEntry:
    """The meeting (with its cancelled and moved occurrences) and its reminder offsets."""
    meeting = require(svc, meeting_id, now)
    return CalendarEntry(meeting, reminders.offsets_of(svc, meeting))


def _replan_timed(svc: Services, meeting: Meeting, now: datetime) -> None:
    """Re-plan every timed row that hangs on the meeting, after any change to its time or
    occurrences: reminders, and the agenda's publication, close and carry-over rows. Each
    planner cancels the rows of an earlier version (every change bumps it) and of
    cancelled occurrences, and puts the rows still ahead."""
    reminders.plan(svc, meeting, now)
    agenda.replan(svc, meeting, now)


@dataclass(frozen=True)
class Created:
    """A new meeting, its next starts and the warnings about them."""

    meeting: Meeting
    next_starts: list[datetime]
    check: ScheduleCheck
    audit: dict[str, Any] = field(default_factory=dict)


def create(
    svc: Services,
    *,
    kind: str,
    title: str,
    place: str,
    when: When,
    rrule: str | None,
    by: int,
    now: datetime,
) -> Created:
    """Schedule a meeting (a series starts at its first occurrence at or after `when`)."""
    tz = svc.config.tz
    start = when.start
    if rrule:
        found = starts_after(when.start, rrule, tz, when.start, 1)
        if not found:
            raise BadRecurrence(0)
        start = found[0]
    new_id = stored.create(
        svc.db,
        kind=kind,
        title=title,
        place=place,
        start=start,
        end=start + (when.end - when.start),
        tz=tz.key,
        rrule=rrule,
        created_by=by,
        now=now,
    )
    meeting = require(svc, new_id, now)
    _replan_timed(svc, meeting, now)
    audit = {"meeting": new_id, "start": start.isoformat(), "rrule": rrule}
    return Created(
        meeting, meeting.starts(now, 3), meeting_reads.schedule_check(svc, meeting, now), audit
    )


@dataclass(frozen=True)
class Invited:
    """The meeting with its new invitation list, and the warnings that now apply."""

    meeting: Meeting
    names: dict[str, str]
    check: ScheduleCheck
    audit: dict[str, Any] = field(default_factory=dict)


def invite(svc: Services, meeting_id: int, codes: list[str], now: datetime) -> Invited:
    """Set the units invited (an empty list: every unit)."""
    require(svc, meeting_id, now)
    codes = list(dict.fromkeys(c.upper() for c in codes))
    unknown = [c for c in codes if people.get_unit(svc.db, c) is None]
    if unknown:
        raise UnknownUnits(meeting_id, unknown)
    stored.set_invited(svc.db, meeting_id, codes)
    meeting = require(svc, meeting_id, now)
    audit = {"meeting": meeting_id, "units": codes}
    return Invited(
        meeting, unit_names(svc.db), meeting_reads.schedule_check(svc, meeting, now), audit
    )


@dataclass(frozen=True)
class Rescheduled:
    """A meeting moved: seen at its new time, where it was, and the warnings."""

    meeting: Meeting
    old_start: datetime
    one_occurrence: bool
    check: ScheduleCheck
    audit: dict[str, Any] = field(default_factory=dict)


def move(
    svc: Services,
    meeting_id: int,
    when: When,
    now: datetime,
    *,
    day: date | None = None,
    origin: int | None = None,
) -> Rescheduled:
    """Give a meeting a new time: the whole meeting or series (a series is re-anchored on
    its first occurrence at or after `when`), or, with `day`, the one occurrence of the
    series on that day. Re-plans everything timed on it and tells its audience."""
    meeting = require(svc, meeting_id, now)
    if meeting.cancelled:
        raise MeetingCancelled(meeting_id)
    target = meeting if day is None else _on_day(meeting, day, now)
    one = day is not None and meeting.is_series
    if one:
        others = meeting.starts(when.start, 1)
        if others and others[0] == when.start and meeting.at(when.start).key != target.key:
            raise OccurrenceClash(meeting_id, when.start)
        stored.move_occurrence(svc.db, meeting_id, target.key, when.start, when.end, now)
        moved = require(svc, meeting_id, now).occurrence(target.key)
    else:
        start = when.start
        if meeting.rrule:
            found = starts_after(when.start, meeting.rrule, meeting.zone, when.start, 1)
            if not found:
                raise BadRecurrence(meeting_id)
            start = found[0]
        stored.move(svc.db, meeting_id, start, start + (when.end - when.start), now)
        moved = require(svc, meeting_id, now)
    _replan_timed(svc, moved, now)
    tz = svc.config.tz
    notify.notify(
        svc,
        meeting_reads.audience(svc, meeting_id, [target.rsvp_key], skip=origin),
        f"meeting-moved:{meeting_id}:{moved.version}",
        "notice",
        lambda tr: moved_notice(moved, target.start, tz, tr, one),
        now,
    )
    audit: dict[str, Any] = {"meeting": meeting_id, "start": moved.start.isoformat()}
    if one:
        audit["occ"] = target.key
    check = meeting_reads.schedule_check(svc, moved, now, [moved.start] if one else None)
    return Rescheduled(moved, target.start, one, check, audit)


def _on_day(meeting: Meeting, day: date, now: datetime) -> Meeting:
    """The occurrence on a day, still ahead; else the refusal saying why not."""
    found = meeting.on_day(day)
    if found is None:
        if meeting.cancelled_on(day):
            raise OccurrenceCancelled(meeting.id, day)
        raise NoOccurrence(meeting.id, day)
    if found.start <= now:
        raise OccurrenceStarted(meeting.id, found.start)
    return found


@dataclass(frozen=True)
class Cancelled:
    """What was cancelled: the meeting seen at the occurrence (or the whole of it)."""

    meeting: Meeting
    whole: bool
    reason: str
    audit: dict[str, Any] = field(default_factory=dict)


def cancel(
    svc: Services,
    meeting_id: int,
    which: Which,
    reason: str,
    now: datetime,
    *,
    origin: int | None = None,
) -> Cancelled:
    """Cancel a meeting or a whole series (`all`), or one occurrence of a series: the next
    (`this`) or the one on a day. Disarms everything timed on what was cancelled and tells
    its audience."""
    meeting = require(svc, meeting_id, now)
    if meeting.cancelled:
        raise AlreadyCancelled(meeting_id)
    if isinstance(which, date):
        target = _on_day(meeting, which, now)
    elif which == "this" and meeting.is_series:
        nxt = meeting.starts(now, 1)
        if not nxt:
            raise NoOccurrence(meeting_id)
        target = meeting.at(nxt[0])
    elif which is None and meeting.is_series:
        raise ScopeNeeded(meeting_id)
    else:
        target = meeting
    whole = not meeting.is_series or which == "all"
    if whole:
        keys = [meeting.at(s).rsvp_key for s in meeting.starts(now, 10)] or [""]
        stored.cancel(svc.db, meeting_id, reason, now)
        key = f"meeting-cancelled:{meeting_id}:all"
    else:
        keys = [target.key]
        stored.cancel_occurrence(svc.db, meeting_id, target.key, reason, now)
        key = f"meeting-cancelled:{meeting_id}:{target.key}"
    _replan_timed(svc, require(svc, meeting_id, now), now)
    tz = svc.config.tz
    notify.notify(
        svc,
        meeting_reads.audience(svc, meeting_id, keys, skip=origin),
        key,
        "notice",
        lambda tr: cancelled_notice(target, whole, reason, tz, tr),
        now,
    )
    audit = {"meeting": meeting_id, "scope": "all" if whole else target.key}
    return Cancelled(target, whole, reason, audit)
