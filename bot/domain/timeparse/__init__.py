"""Pure parsing of times, recurrences, reminder offsets and Chinese working days."""

from .errors import OffsetError, RecurrenceError, TimeparseError, WhenError
from .offsets import MAX_OFFSET, format_offsets, parse_offsets
from .recurrence import occurrences, parse_recurrence
from .when import When, check_future, names_a_date, parse_due, parse_when
from .workdays import (
    DayInfo,
    HolidayCalendar,
    Override,
    Source,
    canonical_holiday,
    day_warning,
    holiday_name,
    is_working_day,
    working_days_before,
)

__all__ = [
    "DayInfo",
    "HolidayCalendar",
    "Override",
    "Source",
    "canonical_holiday",
    "MAX_OFFSET",
    "OffsetError",
    "RecurrenceError",
    "TimeparseError",
    "When",
    "WhenError",
    "check_future",
    "day_warning",
    "format_offsets",
    "holiday_name",
    "is_working_day",
    "names_a_date",
    "occurrences",
    "parse_due",
    "parse_offsets",
    "parse_recurrence",
    "parse_when",
    "working_days_before",
]
