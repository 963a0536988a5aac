"""Reading meetings: stored rows turned into domain Meetings seen at a moment, who hears
about a meeting, and what scheduling warnings are made of (no writes).

storage.meetings hands out rows as stored; the occurrences (which one is current, which
start in a window) are computed here with bot.meeting_times. Every other module reads
meetings through these functions: the meeting, reminder and RSVP services, the agenda and
bulletins. They are kept apart from bot.services.meetings (the changes) so that the
services a change re-plans can read meetings without importing the service that changes
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bot.domain.meeting_times import Meeting, Moved, share_units, spans_overlap
from bot.domain.timeparse import parse_offsets
from bot.render.meeting_warnings import ScheduleCheck
from bot.services import notify
from bot.services.holiday_calendar import load_calendar
from storage import meetings as stored
from storage import rsvps
from storage.meetings import MeetingRow

if TYPE_CHECKING:
    from bot.services import Services

NEXT_OF_KIND_DAYS = 400
WARN_OCCURRENCES = 3


@lru_cache(maxsize=256)
def _offsets(text: str) -> tuple[timedelta, ...]:
    """Stored offsets text parsed once per distinct text (it was ~40 µs a meeting read)."""
    return tuple(parse_offsets(text))


def meeting_of(row: MeetingRow, now: datetime) -> Meeting:
    """The domain Meeting of a stored row, seen at its occurrence in progress or next."""
    offsets = _offsets(row.offsets) if row.offsets else None
    meeting = Meeting(
        id=row.id,
        kind=row.kind,
        title=row.title,
        place=row.place,
        start=row.start,
        end=row.end,
        first_start=row.start,
        first_end=row.end,
        tz=row.tz,
        rrule=row.rrule,
        exdates=row.exdates,
        cancelled=row.cancelled,
        cancel_reason=row.cancel_reason,
        invited=row.invited,
        offsets=() if row.offsets == "" else offsets,
        version=row.version,
        moves=tuple(Moved(m.occ, m.start, m.end) for m in row.moves),
    )
    return meeting.current(now)


def get_meeting(db: Database, meeting_id: int, now: datetime) -> Meeting | None:
    """A meeting by id, seen at its occurrence in progress or next at `now`."""
    row = stored.get(db, meeting_id)
    return meeting_of(row, now) if row else None


def active(db: Database, now: datetime, *, series_only: bool = False) -> list[Meeting]:
    """Meetings not cancelled that are recurring or not yet over (only the recurring ones
    with `series_only`)."""
    return [meeting_of(row, now) for row in stored.active(db, now, series_only=series_only)]


def upcoming(db: Database, start: datetime, end: datetime, limit: int = 200) -> list[Meeting]:
    """Every occurrence starting in [start, end), earliest first, cancelled ones left out
    and moved ones at their new time."""
    found: list[Meeting] = []
    for row in stored.starting_between(db, start, end):
        meeting = meeting_of(row, start)
        for when in meeting.starts(start, limit):
            if when >= end:
                break
            found.append(meeting.at(when))
    found.sort(key=lambda m: (m.start, m.id))
    return found[:limit]


def next_of_kind(db: Database, kind: str, after: datetime) -> Meeting | None:
    """The next occurrence of a meeting of this kind starting at or after an instant."""
    for meeting in upcoming(db, after, after + timedelta(days=NEXT_OF_KIND_DAYS)):
        if meeting.kind == kind:
            return meeting
    return None


def audience(
    svc: Services, meeting_id: int, occ_keys: Sequence[str], skip: int | None = None
) -> list[int]:
    """Who hears about a meeting: chats subscribed to `meetings`, then (privately) the
    people who will attend or send a delegate; `skip` leaves out one chat (the one a
    command came from, whose reply already says it)."""
    chats = notify.subscribers(svc, "meetings")
    people = rsvps.attending(svc.db, meeting_id, list(occ_keys))
    return [chat for chat in dict.fromkeys([*chats, *people]) if chat != skip]


def schedule_check(
    svc: Services, meeting: Meeting, now: datetime, starts: list[datetime] | None = None
) -> ScheduleCheck:
    """What warnings about the meeting's next occurrences (or the given ones) are made of:
    their days on the calendar in force, and overlapping meetings with units in common."""
    starts = starts or meeting.starts(now, WARN_OCCURRENCES) or [meeting.start]
    tz = svc.config.tz
    overlaps: list[Meeting] = []
    for start in starts:
        seen = meeting.at(start)
        for other in upcoming(svc.db, start - timedelta(days=1), seen.end):
            if other.id == meeting.id or not spans_overlap(
                start, seen.end, other.start, other.end
            ):
                continue
            if share_units(meeting.invited, other.invited):
                overlaps.append(other)
    days = [start.astimezone(tz).date() for start in starts]
    return ScheduleCheck(load_calendar(svc.db), days, overlaps)
