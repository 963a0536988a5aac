"""Warnings when scheduling a meeting: statutory holidays, weekends, overlapping meetings,
and a year whose official holiday arrangement is not loaded."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.holiday_calendar import load_calendar
from bot.i18n import Tr
from bot.meeting_times import share_units, spans_overlap
from bot.render.dates import show_date, show_datetime
from bot.render.holidays import holiday_label, not_loaded
from bot.render.text import esc
from storage import meetings
from storage.meetings import Meeting


def meeting_warnings(
    db: Database, meeting: Meeting, now: datetime, tz: ZoneInfo, tr: Tr
) -> list[str]:
    """Holiday, weekend, unknown-arrangement and overlap warnings for the meeting's next
    occurrences (on the calendar with the admins' holiday entries)."""
    _ = tr
    cal = load_calendar(db)
    out: list[str] = []
    starts = meeting.starts(now, 3) or [meeting.start]
    for start in starts:
        day = start.astimezone(tz).date()
        info = cal.day(day)
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
        unknown = not_loaded(cal, day.year, _)
        if unknown:
            out.append(unknown)
    for start in starts:
        end = start + meeting.duration
        for other in meetings.upcoming(db, start - timedelta(days=1), end):
            if other.id == meeting.id or not spans_overlap(start, end, other.start, other.end):
                continue
            if share_units(meeting.invited, other.invited):
                out.append(
                    _(
                        "It overlaps #{id} {title} ({when}) with the same units invited.",
                        id=other.id,
                        title=esc(other.title),
                        when=show_datetime(other.start, tz, _),
                    )
                )
    return list(dict.fromkeys(out))
