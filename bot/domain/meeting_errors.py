"""Why a change to a meeting is refused: small domain errors the meeting services raise.

Each names the meeting and what the refusal is about (a day, an occurrence's start, unit
codes); bot.render.meeting_errors words it in the chat's language. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime


class MeetingError(Exception):
    """A refused change to a meeting."""

    def __init__(self, meeting_id: int) -> None:
        super().__init__(f"{type(self).__name__} #{meeting_id}")
        self.meeting_id = meeting_id


class MeetingNotFound(MeetingError):
    """There is no meeting with this number."""


class MeetingCancelled(MeetingError):
    """The meeting (or the whole series) is cancelled: it cannot be moved or cancelled."""


class AlreadyCancelled(MeetingCancelled):
    """Cancelling what is cancelled already."""


class ScopeNeeded(MeetingError):
    """A series: cancelling needs `this`, `all` or a date."""


class NoOccurrence(MeetingError):
    """The series has no occurrence on that day (or, without a day, none left)."""

    def __init__(self, meeting_id: int, day: date | None = None) -> None:
        super().__init__(meeting_id)
        self.day = day


class OccurrenceCancelled(NoOccurrence):
    """The occurrence on that day was cancelled already."""


class OccurrenceStarted(MeetingError):
    """The occurrence has begun (or is over): it can no longer be moved or cancelled."""

    def __init__(self, meeting_id: int, start: datetime) -> None:
        super().__init__(meeting_id)
        self.start = start


class OccurrenceClash(MeetingError):
    """An occurrence would be moved onto the start of another one of the same series."""

    def __init__(self, meeting_id: int, start: datetime) -> None:
        super().__init__(meeting_id)
        self.start = start


class BadRecurrence(MeetingError):
    """The recurrence has no occurrence at or after the time given."""


class UnknownUnits(MeetingError):
    """Some of the unit codes invited are not registered."""

    def __init__(self, meeting_id: int, codes: Sequence[str]) -> None:
        super().__init__(meeting_id)
        self.codes = list(codes)


class NotAnOccurrence(MeetingError):
    """An occurrence key that names no occurrence of the meeting (a stale or forged button)."""
