"""The source of 'now', injectable so tests can stand at any instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        return datetime.now(UTC)


class FixedClock(Clock):
    """A clock that stays where it is put, for tests and the demo."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The instant the clock is set to."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move the clock to an instant."""
        self._now = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta
