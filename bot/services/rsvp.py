"""RSVPs: each person's answer for one occurrence, the delegate's name, and the card.

An answer is for the occurrence named by its key ('' for a one-off meeting, so answers
survive a move). It is checked against the meeting as it is now: an unknown meeting or a
key that names no occurrence (NotAnOccurrence), a cancelled meeting or occurrence, and an
occurrence that has begun (OccurrenceStarted) are refused and change nothing. "Send a
delegate" may carry the name of the person sent; it is shown on the card and in the
minutes' attendance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.domain.meeting_errors import (
    MeetingCancelled,
    MeetingNotFound,
    NoOccurrence,
    NotAnOccurrence,
    OccurrenceCancelled,
    OccurrenceStarted,
)
from bot.domain.meeting_times import Meeting
from bot.render.units import unit_names
from bot.services import meeting_reads, reminders
from storage import rsvps
from storage.rsvps import Answer, Rsvp

if TYPE_CHECKING:
    from bot.services import Services

LIST_DAYS, LIST_LIMIT = 60, 20
MAX_DELEGATE = 100


@dataclass(frozen=True)
class Card:
    """What a meeting card shows: the occurrence, its answers, the reminder offsets, the
    unit names, and whether answers are still taken."""

    meeting: Meeting
    answers: list[Rsvp]
    offsets: tuple[timedelta, ...]
    names: dict[str, str]
    open: bool


def _card(svc: Services, meeting: Meeting, now: datetime) -> Card:
    answers = rsvps.rsvps(svc.db, meeting.id, meeting.rsvp_key)
    is_open = not meeting.cancelled and meeting.start > now
    offsets = reminders.offsets_of(svc, meeting)
    return Card(meeting, answers, offsets, unit_names(svc.db), is_open)


def card(svc: Services, meeting_id: int, now: datetime) -> Card:
    """The card of a meeting at its occurrence in progress or next."""
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    return _card(svc, meeting, now)


def coming(svc: Services, now: datetime) -> list[Meeting]:
    """The occurrences of the coming LIST_DAYS days, at most LIST_LIMIT."""
    return meeting_reads.upcoming(svc.db, now, now + timedelta(days=LIST_DAYS), LIST_LIMIT)


@dataclass(frozen=True)
class Answered:
    """The answer recorded, and the card of its occurrence as it now stands."""

    answer: Answer
    card: Card
    audit: dict[str, Any] = field(default_factory=dict)


def occurrence_of(svc: Services, meeting_id: int, occ: str, now: datetime) -> Meeting:
    """The occurrence a key names, still open to answers; else the refusal saying why."""
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise NotAnOccurrence(meeting_id)
    if meeting.cancelled:
        raise MeetingCancelled(meeting_id)
    if occ in meeting.exdates:
        raise OccurrenceCancelled(meeting_id)
    if occ and not meeting.has_occurrence(occ):
        raise NotAnOccurrence(meeting_id)
    if not occ and meeting.is_series:
        raise NotAnOccurrence(meeting_id)
    seen = meeting.occurrence(occ)
    if now >= seen.start:
        raise OccurrenceStarted(meeting_id, seen.start)
    return seen


def answer(
    svc: Services,
    meeting_id: int,
    occ: str,
    user_id: int,
    unit_code: str | None,
    value: Answer,
    now: datetime,
    delegate: str | None = None,
) -> Answered:
    """Record or change a person's answer for the occurrence with key `occ` ('' for a
    one-off meeting); with 'delegate', optionally the name of the person sent."""
    seen = occurrence_of(svc, meeting_id, occ, now)
    rsvps.answer(svc.db, meeting_id, occ, user_id, unit_code, value, now, delegate)
    audit: dict[str, Any] = {"meeting": meeting_id, "occ": occ, "answer": value}
    if delegate is not None:
        audit["delegate"] = delegate
    return Answered(value, _card(svc, seen, now), audit)


def send_delegate(
    svc: Services,
    meeting_id: int,
    day: date | None,
    user_id: int,
    unit_code: str | None,
    name: str,
    now: datetime,
) -> Answered:
    """Answer "send a delegate" naming them, for the occurrence on `day` (or, without a
    day, the occurrence in progress or next)."""
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    if meeting.cancelled:
        raise MeetingCancelled(meeting_id)
    seen = meeting
    if day is not None:
        found = meeting.on_day(day)
        if found is None:
            gone = OccurrenceCancelled if meeting.cancelled_on(day) else NoOccurrence
            raise gone(meeting_id, day)
        seen = found
    if now >= seen.start:
        raise OccurrenceStarted(meeting_id, seen.start)
    return answer(svc, meeting_id, seen.rsvp_key, user_id, unit_code, "delegate", now, name)
