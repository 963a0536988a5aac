"""Warnings when scheduling a meeting: statutory holidays, weekends, overlapping meetings."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.i18n import N_, Tr
from bot.meeting_times import share_units, spans_overlap
from bot.render.dates import show_date, show_datetime
from bot.render.text import esc
from bot.timeparse import day_warning, holiday_name
from storage import meetings
from storage.meetings import Meeting

HOLIDAYS = {
    "New Year's Day": N_("New Year's Day"),
    "Spring Festival": N_("Spring Festival"),
    "Tomb-sweeping Day": N_("Tomb-sweeping Day"),
    "Labour Day": N_("Labour Day"),
    "Dragon Boat Festival": N_("Dragon Boat Festival"),
    "National Day": N_("National Day"),
    "Mid-autumn Festival": N_("Mid-autumn Festival"),
}


def meeting_warnings(
    db: Database, meeting: Meeting, now: datetime, tz: ZoneInfo, tr: Tr
) -> list[str]:
    """Holiday, weekend and overlap warnings for the meeting's next occurrences."""
    _ = tr
    out: list[str] = []
    starts = meeting.starts(now, 3) or [meeting.start]
    for start in starts:
        day = start.astimezone(tz).date()
        kind = day_warning(day)
        if kind == "holiday":
            name = holiday_name(day) or ""
            out.append(
                _(
                    "{date} is a public holiday ({name}).",
                    date=show_date(day, _),
                    name=_(HOLIDAYS.get(name, name)),
                )
            )
        elif kind == "weekend":
            out.append(_("{date} is a weekend day, not a working day.", date=show_date(day, _)))
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
