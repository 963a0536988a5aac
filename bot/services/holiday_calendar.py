"""The working-day calendar in force: the packages' data with the admins' entries over it.

Every working-day rule (meeting warnings, action reminders, the weekly digest) gets its
calendar here, so a day an admin enters counts everywhere at once.
"""

from __future__ import annotations

from sqlite_utils import Database

from bot.domain.timeparse import HolidayCalendar, Override
from storage import holidays


def load_calendar(db: Database) -> HolidayCalendar:
    """The calendar with every admin-entered day laid over the packages."""
    return HolidayCalendar(Override(d.day, d.off, d.name) for d in holidays.all_days(db))
