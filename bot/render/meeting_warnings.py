"""Warnings when scheduling or moving a meeting: statutory holidays, weekends, overlapping
meetings, and a year whose official holiday arrangement is not loaded (pure text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.domain.timeparse import HolidayCalendar
from bot.i18n import Tr
from bot.render.dates import show_date, show_datetime
from bot.render.holidays import holiday_label, not_loaded
from bot.render.text import esc


@dataclass(frozen=True)
class ScheduleCheck:
    """What the warnings are made from: the calendar in force (with the admins' entries),
    the local days of the occurrences looked at, and the other meetings overlapping them
    with units in common."""

    calendar: HolidayCalendar
    days: list[date]
    overlaps: list[Meeting]


def warning_lines(check: ScheduleCheck, tz: ZoneInfo, tr: Tr) -> list[str]:
    """The warnings in the chat's language, each once."""
    _ = tr
    out: list[str] = []
    for day in check.days:
        info = check.calendar.day(day)
        if info.kind == "holiday":
            name = holiday_label(info.name, _)
            if name:
                out.append(
                    _("{date} is a public holiday ({name}).", date=show_date(day, _), name=name)
                )
            else:
                out.append(_("{date} is a day off.", date=show_date(day, _)))
        elif info.kind == "weekend":
            out.append(_("{date} is a weekend day, not a working day.", date=show_date(day, _)))
        unknown = not_loaded(check.calendar, day.year, _)
        if unknown:
            out.append(unknown)
    for other in check.overlaps:
        out.append(
            _(
                "It overlaps #{id} {title} ({when}) with the same units invited.",
                id=other.id,
                title=esc(other.title),
                when=show_datetime(other.start, tz, _),
            )
        )
    return list(dict.fromkeys(out))
