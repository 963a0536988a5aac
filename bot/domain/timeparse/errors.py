"""Exceptions raised by the timeparse package; each carries a machine-readable ``code``."""

from __future__ import annotations

from datetime import date


class TimeparseError(ValueError):
    """Base class: ``code`` is a stable identifier that callers translate for users."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class WhenError(TimeparseError):
    """Codes: unparseable, missing_time, end_before_start, past.

    ``day`` is the date understood, when there was one (``missing_time``: "周五" alone).
    """

    def __init__(self, code: str, day: date | None = None) -> None:
        super().__init__(code)
        self.day = day


class RecurrenceError(TimeparseError):
    """Codes: unparseable, invalid_rrule."""


class OffsetError(TimeparseError):
    """Codes: empty, unparseable, out_of_range."""
