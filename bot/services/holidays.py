"""The holiday calendar as admins enter it: days off and make-up working days of the State
Council's arrangement, laid over the packages' data.

Entering days re-plans, in the same transaction, everything timed by working days: the
pending action reminders and the weekly digest (bot.services.action_reminders.replan).
Every function
runs inside the caller's transaction; results carry the audit detail (`audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from bot.domain.meeting_times import Meeting
from bot.domain.timeparse import HolidayCalendar
from bot.domain.timeparse._text import local_to_utc
from bot.i18n import N_
from bot.render.holidays import span_text
from bot.services import meeting_reads as meetings
from bot.services.action_reminders import replan
from bot.services.holiday_calendar import load_calendar
from bot.services.refused import Refused
from storage import holidays

if TYPE_CHECKING:
    from bot.services import Services

What = Literal["off", "work", "clear"]


class NothingEntered(Refused):
    """Clearing days nobody entered."""

    message = N_("Nothing was entered for {days}.")


@dataclass(frozen=True)
class DaysSet:
    """Days entered or cleared, what each year now follows, and what it moved."""

    sources: Mapping[int, str]
    replanned: list[int]
    meetings_on_days: list[Meeting]
    audit: dict[str, Any] = field(default_factory=dict)


def set_days(
    svc: Services,
    first: date,
    last: date,
    what: What,
    name: str | None,
    by_user: int,
    now: datetime,
) -> DaysSet:
    """Enter days off or working days (or clear entries) and re-plan what depends on them."""
    if what == "clear":
        if not holidays.clear(svc.db, first, last):
            raise NothingEntered(days=lambda tr: span_text(first, last, tr))
    else:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        holidays.put(svc.db, days, what == "off", name, by_user, now)
    cal = load_calendar(svc.db)
    sources = {year: cal.arrangement(year) for year in sorted({first.year, last.year})}
    moved = replan(svc, now)
    on_days = _meetings_on(svc, first, last, now) if what == "off" else []
    audit = {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "what": what,
        "name": name,
        "moved": moved,
    }
    return DaysSet(sources, moved, on_days, audit)


def calendar(svc: Services) -> HolidayCalendar:
    """The working-day calendar in force (the packages with the admins' entries over them)."""
    return load_calendar(svc.db)


def _meetings_on(svc: Services, first: date, last: date, now: datetime) -> list[Meeting]:
    """Meetings still to come on the given days."""
    tz = svc.config.tz
    start = max(local_to_utc(datetime.combine(first, time()), tz), now)
    end = local_to_utc(datetime.combine(last + timedelta(days=1), time()), tz)
    return meetings.upcoming(svc.db, start, end)
