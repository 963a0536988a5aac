"""Pure agenda rules: item tags, the cut-off and publication instants (short notice too),
which sitting a command means, running totals, amendment diffs, carry-over and escalation
selection, and the reminder instants of action items.

No database, no storage and no Telegram here: a meeting is anything with the fields of
`MeetingLike` (storage.meetings.Meeting is one). A *sitting* is one meeting occurrence:
(meeting id, occurrence key), the key being '' for a one-off meeting (as for RSVPs, so a
moved meeting keeps its agenda) and the occurrence's UTC start for a series.

The agenda's layers: rules here and in bot/domain/agenda_refusals.py (pure) -> storage
(storage/agenda*.py, minutes.py, actions.py) -> services (bot/services/agenda*.py,
minutes.py, actions.py) -> rendering (bot/render/agenda.py) -> handlers (handlers/agenda.py,
minutes.py, actions.py); bot/services/agenda.py spells out what lives where.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Generic, Protocol, Self, TypeVar
from zoneinfo import ZoneInfo

from bot.domain.timeparse import HolidayCalendar
from bot.domain.timeparse._text import local_to_utc

KINDS = ("report", "deliberation", "study")
TAGS = {
    "report": "report",
    "通报": "report",
    "deliberation": "deliberation",
    "审议": "deliberation",
    "study": "study",
    "研究": "study",
    "major": "major",
    "重大": "major",
    "重大事项": "major",
}
_TAG = re.compile(r"[#＃](\w+)")  # the full-width ＃ of a Chinese keyboard too
# A sitting stays the one commands refer to this long after it ends, so minutes can be taken.
MINUTES_GRACE = timedelta(hours=24)
# Reminders about action items go out at this local time of day.
REMIND_AT = time(9, 0)
ESCALATE_FROM = ("joint", "working")
ESCALATE_TO = "coordination"
NO_TIME = timedelta(0)


class MeetingLike(Protocol):
    """What the agenda rules read of a meeting seen at one occurrence: its number and kind,
    this occurrence's start and end, a series' first start, each occurrence's duration,
    whether it recurs, this occurrence's key, the same meeting at another occurrence (by start
    or by key; a moved occurrence keeps its key), and the next starts."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def first_start(self) -> datetime: ...
    @property
    def duration(self) -> timedelta: ...
    @property
    def is_series(self) -> bool: ...
    @property
    def key(self) -> str: ...
    def at(self, start: datetime) -> Self: ...
    def occurrence(self, key: str) -> Self: ...
    def starts(self, after: datetime, limit: int) -> list[datetime]: ...


M = TypeVar("M", bound=MeetingLike)


@dataclass(frozen=True)
class Sitting(Generic[M]):
    """One occurrence of a meeting, the unit an agenda and minutes belong to."""

    meeting: M
    key: str

    @property
    def start(self) -> datetime:
        """When the sitting starts."""
        return self.meeting.start

    @property
    def end(self) -> datetime:
        """When the sitting ends."""
        return self.meeting.end

    @property
    def ref(self) -> str:
        """The key as used in outbox keys and schedule refs ('-' for a one-off meeting)."""
        return f"{self.meeting.id}:{self.key or '-'}"


@dataclass(frozen=True)
class Tagged:
    """An item title with its tags read out."""

    title: str
    kind: str
    major: bool


def read_tags(text: str) -> Tagged:
    """Strip `#report #deliberation #study #major` (or 通报/审议/研究/重大) from a title.

    The first kind tag wins; unknown #words stay in the title; the default kind is report.
    """
    kind, major = "", False

    def take(match: re.Match[str]) -> str:
        nonlocal kind, major
        tag = TAGS.get(unicodedata.normalize("NFKC", match.group(1)).lower())
        if tag is None:
            return match.group(0)
        if tag == "major":
            major = True
        elif not kind:
            kind = tag
        return ""

    title = " ".join(_TAG.sub(take, text).split())
    return Tagged(title=title, kind=kind or "report", major=major)


def choose_sitting(
    meeting: M, now: datetime, grace: timedelta = MINUTES_GRACE
) -> Sitting[M] | None:
    """The sitting a command about this meeting means at `now`.

    A one-off meeting has one sitting, whatever the time. For a series it is the latest
    occurrence that has begun and ended less than `grace` ago (so minutes can still be
    taken the day after), else the next one; None when the series has no occurrence left.
    Cancelled occurrences are never chosen.
    """
    if not meeting.is_series:
        return Sitting(meeting.at(meeting.first_start), "")
    starts = meeting.starts(now - meeting.duration - grace, 3)
    begun = [s for s in starts if s <= now]
    chosen = begun[-1] if begun else (starts[0] if starts else None)
    if chosen is None:
        return None
    seen = meeting.at(chosen)  # a moved occurrence keeps the key the rule gives it
    return Sitting(seen, seen.key)


def sitting_at(meeting: M, key: str) -> Sitting[M]:
    """The sitting of a meeting with a given occurrence key."""
    if not key or not meeting.is_series:
        return Sitting(meeting.at(meeting.first_start), "")
    return Sitting(meeting.occurrence(key), key)  # a moved occurrence at its new time


def cutoff(start: datetime, before: timedelta) -> datetime:
    """The instant agenda submissions close, given full notice."""
    return start - before


@dataclass(frozen=True)
class Deadlines:
    """When a sitting's agenda stops taking items and when it is published."""

    cutoff: datetime
    publish: datetime
    short_notice: bool


def deadlines(
    start: datetime, noticed: datetime, cutoff_before: timedelta, publish_before: timedelta
) -> Deadlines:
    """The cut-off and publication of a sitting starting at `start`, called at `noticed`.

    Called at least `cutoff_before` ahead, they fall `cutoff_before` and `publish_before`
    before the start. Called at shorter notice, the agenda takes items for the first half
    of the time left, and the publication keeps its usual proportion inside the second
    half (publish_before / cutoff_before of it before the start): with 48 h and 24 h, a
    meeting called 12 h ahead closes 6 h and publishes 3 h before it. Neither ever falls
    before `noticed` (no message names a cut-off that passed before the meeting existed)
    nor after the start.
    """
    notice = start - noticed
    if notice >= cutoff_before:
        return Deadlines(start - cutoff_before, max(start - publish_before, noticed), False)
    lead = max(notice, NO_TIME) / 2
    ratio = publish_before / cutoff_before  # cutoff_before > notice >= 0 here
    publish = min(max(start - lead * ratio, noticed), start)
    return Deadlines(start - lead, publish, True)


def running_totals(minutes: Sequence[int | None]) -> list[int]:
    """The cumulative minutes after each item (items without an estimate add nothing)."""
    out, total = [], 0
    for value in minutes:
        total += value or 0
        out.append(total)
    return out


@dataclass(frozen=True)
class Line:
    """An agenda line as published: item id, number and title."""

    item_id: int
    number: int
    title: str


@dataclass(frozen=True)
class Diff:
    """What changed in an agenda since it was last pushed."""

    added: tuple[Line, ...]
    removed: tuple[Line, ...]
    moved: tuple[tuple[Line, int], ...]  # (line now, number before)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.moved)


def diff(before: Sequence[Line], after: Sequence[Line]) -> Diff:
    """Items added, removed and renumbered between two published forms of an agenda."""
    old = {line.item_id: line for line in before}
    new = {line.item_id: line for line in after}
    added = tuple(line for line in after if line.item_id not in old)
    removed = tuple(line for line in before if line.item_id not in new)
    moved = tuple(
        (line, old[line.item_id].number)
        for line in after
        if line.item_id in old and old[line.item_id].number != line.number
    )
    return Diff(added, removed, moved)


def to_carry(items: Sequence[tuple[int, str, bool]]) -> list[int]:
    """Ids of items to carry over: (id, state, reached) still open and not reached."""
    return [item_id for item_id, state, reached in items if state == "open" and not reached]


def escalates(meeting_kind: str, major: bool, state: str, decided: bool = False) -> bool:
    """Whether an item goes up to the coordination group once its sitting has passed: a
    #major item of a joint or working meeting still open, and not decided there."""
    return major and meeting_kind in ESCALATE_FROM and state == "open" and not decided


def at_local(day: date, tz: ZoneInfo, moment: time = REMIND_AT) -> datetime:
    """A local wall-clock time on a date, as an aware UTC instant."""
    return local_to_utc(datetime.combine(day, moment), tz)


def due_reminders(
    due: date, workdays: int, tz: ZoneInfo, cal: HolidayCalendar | None = None
) -> list[tuple[str, datetime]]:
    """(stage, instant) of an action's reminders: `workdays` working days before its due
    date (Chinese statutory holidays skipped, make-up working days counted) and on the first
    working day after the due date, when it is overdue; both at 09:00 local time."""
    cal = cal or HolidayCalendar()
    out: list[tuple[str, datetime]] = []
    if workdays > 0:
        out.append(("pre", at_local(cal.working_days_before(due, workdays), tz)))
    # Nobody acts on an overdue item over a holiday: say so when work resumes.
    out.append(("over", at_local(cal.first_working_day(due + timedelta(days=1)), tz)))
    return out


def next_monday(now: datetime, tz: ZoneInfo) -> datetime:
    """The next Monday 09:00 local strictly after `now`."""
    today = now.astimezone(tz).date()
    day = today + timedelta(days=(7 - today.weekday()) % 7)
    moment = at_local(day, tz)
    if moment <= now:
        moment = at_local(day + timedelta(days=7), tz)
    return moment


def digest_slot(now: datetime, tz: ZoneInfo, cal: HolidayCalendar | None = None) -> datetime:
    """The weekly digest's next slot strictly after `now`: Monday 09:00 local, or 09:00 on
    the first working day after it when the Monday is a holiday (a week whose Monday falls
    in a break gets its digest when work resumes; two weeks resuming on the same day share
    one)."""
    cal = cal or HolidayCalendar()
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    for _ in range(3):  # this week's slot may still be ahead (after a holiday Monday)
        moment = at_local(cal.first_working_day(monday), tz)
        if moment > now:
            return moment
        monday += timedelta(days=7)
    return at_local(cal.first_working_day(monday), tz)
