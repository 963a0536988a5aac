"""Why a change to a meeting was refused, in the chat's language (pure text)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.meeting_errors import (
    AlreadyCancelled,
    BadRecurrence,
    MeetingCancelled,
    MeetingError,
    MeetingNotFound,
    NoOccurrence,
    OccurrenceCancelled,
    OccurrenceClash,
    OccurrenceStarted,
    ScopeNeeded,
    UnknownUnits,
)
from bot.i18n import Tr
from bot.render.dates import show_date, show_datetime
from bot.render.units import unknown_units


def recurrence_error(tr: Tr) -> str:
    """Why a recurrence was refused."""
    return tr(
        "I could not read that recurrence. Try every week on tue, "
        "every month on the 2nd tue or 每月第二个周二."
    )


def meeting_refusal(error: MeetingError, tz: ZoneInfo, tr: Tr) -> str:
    """The refusal of a meeting change, naming what it is about."""
    mid = error.meeting_id
    if isinstance(error, MeetingNotFound):
        return tr("There is no meeting #{id}.", id=mid)
    if isinstance(error, AlreadyCancelled):
        return tr("Meeting #{id} is already cancelled.", id=mid)
    if isinstance(error, MeetingCancelled):
        return tr("Meeting #{id} is cancelled.", id=mid)
    if isinstance(error, ScopeNeeded):
        return tr(
            "#{id} repeats: say this (the next one), all, or the date of one occurrence "
            "(e.g. 2026-12-08).",
            id=mid,
        )
    if isinstance(error, OccurrenceCancelled) and error.day is not None:
        return tr(
            "The occurrence of #{id} on {date} is already cancelled.",
            id=mid,
            date=show_date(error.day, tr),
        )
    if isinstance(error, NoOccurrence):
        if error.day is None:
            return tr("#{id} has no occurrence left to cancel.", id=mid)
        return tr("#{id} has no occurrence on {date}.", id=mid, date=show_date(error.day, tr))
    if isinstance(error, OccurrenceStarted):
        return tr(
            "The occurrence of #{id} at {when} has already begun.",
            id=mid,
            when=show_datetime(error.start, tz, tr),
        )
    if isinstance(error, OccurrenceClash):
        return tr(
            "#{id} already has an occurrence at {when}.",
            id=mid,
            when=show_datetime(error.start, tz, tr),
        )
    if isinstance(error, UnknownUnits):
        return unknown_units(tr, error.codes)
    if isinstance(error, BadRecurrence):
        return recurrence_error(tr)
    return tr("There is no meeting #{id}.", id=mid)
