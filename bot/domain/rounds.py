"""Reporting rounds as pure rules: a round's scope, its deadline and reminder time, how each
unit's answer counts (on time, late, missing, still open), and when a scheduled round opens.

No I/O: the rounds services (bot/services/rounds.py, round_schedules.py) read storage and
call these. A scope is stored as text (`Scope.stored`, `Scope.from_stored`) so that a round
and a schedule keep what was asked, whatever the register holds later.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from bot.domain.keywords import (
    ALL_PROJECTS_WORDS,
    EMPTY_ANSWER_WORDS,
    MONTHLY_WORDS,
    WEEKLY_WORDS,
    is_word,
    tier_word,
    weekday_word,
)
from bot.domain.normalize import keyword, split_list, token
from bot.domain.timeparse import OffsetError, WhenError, parse_offsets, parse_when

# Units that have not reported are reminded at this share of the window, and at the deadline.
REMIND_SHARE = 0.8
# A deadline written as a day without a time of day ("周五", "12月4日") falls at this hour.
DEFAULT_DEADLINE_TIME = time(18, 0)
MAX_WINDOW = timedelta(days=60)
# A reminder due outside these local hours moves back to 17:00 (see reminder_at).
OFFICE_HOURS = (time(9, 0), time(18, 0))

Status = Literal["on_time", "late", "missing", "open"]
STATUSES: tuple[Status, ...] = ("on_time", "late", "missing", "open")


@dataclass(frozen=True)
class Scope:
    """Which projects a round asks about: every running one (nothing named), or those in
    the named categories or tiers, plus the named project codes."""

    categories: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        """True when the round covers every running project."""
        return not (self.categories or self.tiers or self.codes)

    def stored(self) -> str:
        """The scope as stored: 'all', or e.g. 'category=tech;code=BJ-01,BJ-02'."""
        if self.everything:
            return "all"
        parts = [
            f"{name}={','.join(values)}"
            for name, values in (
                ("category", self.categories),
                ("tier", self.tiers),
                ("code", self.codes),
            )
            if values
        ]
        return ";".join(parts)

    @classmethod
    def from_stored(cls, text: str) -> Scope:
        """The scope a stored text names (the inverse of `stored`)."""
        found: dict[str, tuple[str, ...]] = {}
        for part in text.split(";"):
            name, sep, values = part.partition("=")
            if sep:
                found[name] = tuple(v for v in values.split(",") if v)
        return cls(found.get("category", ()), found.get("tier", ()), found.get("code", ()))


def parse_scope(text: str, category_of: Callable[[str], str | None]) -> Scope:
    """A scope as typed: empty or `all`/`全部` for every running project, else a list of
    categories (技术创新, tech), tiers (重点, key) and project codes, in any mix.

    `category_of` reads a category word (the register's names live in storage); a word
    that is neither a category nor a tier is taken as a project code, for the service to
    look up.
    """
    words = split_list(text)
    if not words or (len(words) == 1 and is_word(words[0], ALL_PROJECTS_WORDS)):
        return Scope()
    categories: list[str] = []
    tiers: list[str] = []
    codes: list[str] = []
    for word in words:
        category, tier = category_of(word), tier_word(word)
        target, value = (
            (categories, category)
            if category
            else (tiers, tier)
            if tier
            else (codes, word.upper())
        )
        if value not in target:
            target.append(value)
    return Scope(tuple(categories), tuple(tiers), tuple(codes))


def parse_deadline(text: str, start: datetime, tz: ZoneInfo) -> datetime:
    """A deadline as typed, from `start`: a length (`2d`, `36h`, `3天`), a moment (`周五17:00`,
    `next friday 5pm`, `3天后`), or a day alone (`周五`, `12月4日`: at 18:00 that day).

    Raises WhenError (unparseable, past); the caller checks the window's length.
    """
    typed = token(text)
    try:
        lengths = parse_offsets(typed)
    except OffsetError:
        lengths = []
    if len(lengths) > 1:  # "1d,1h" lists reminder offsets; it names no deadline
        raise WhenError("unparseable")
    if lengths:
        deadline = start + lengths[0]
    else:
        try:
            deadline = parse_when(typed, start, tz).start
        except WhenError as exc:
            if exc.code != "missing_time" or exc.day is None:
                raise
            deadline = datetime.combine(exc.day, DEFAULT_DEADLINE_TIME, tzinfo=tz)
    deadline = deadline.astimezone(UTC).replace(microsecond=0)
    if deadline <= start:
        raise WhenError("past", day=deadline.astimezone(tz).date())
    return deadline


def reminder_at(opened: datetime, deadline: datetime, tz: ZoneInfo) -> datetime:
    """When units that have not reported are first reminded: at REMIND_SHARE of the window,
    to the minute; a moment in the evening or at night (OFFICE_HOURS) moves back to 17:00
    the day before it, so a 2-day round opened at 10:00 reminds at 17:00 on day 2, not at
    00:24 on day 3 (unless that falls before the opening)."""
    moment = (opened + (deadline - opened) * REMIND_SHARE).replace(second=0, microsecond=0)
    local = moment.astimezone(tz)
    start, end = OFFICE_HOURS
    if start <= local.time() < end:
        return moment
    day = local.date() if local.time() >= end else local.date() - timedelta(days=1)
    moved = datetime.combine(day, time(17, 0), tzinfo=tz).astimezone(UTC)
    return moved if moved > opened else moment


def is_empty_answer(text: str) -> bool:
    """Whether an optional answer says nothing: empty, `-`, `无`, `none`, `暂无`."""
    return not text.strip() or keyword(text) in EMPTY_ANSWER_WORDS


@dataclass(frozen=True)
class Answers:
    """The four parts of a report: progress (required), issues and risks, next steps, items
    needing coordination; an optional part answered with "nothing" is kept empty."""

    progress: str
    issues: str = ""
    next_steps: str = ""
    coordination: str = ""

    @classmethod
    def of(
        cls, progress: str, issues: str = "", next_steps: str = "", coordination: str = ""
    ) -> Answers:
        """The answers as typed, each stripped, an optional "nothing" (无, none, -) emptied."""
        optional = [
            ("" if is_empty_answer(t) else t.strip()) for t in (issues, next_steps, coordination)
        ]
        return cls(progress.strip(), *optional)


# --- standing: how each unit answered a round ---------------------------------------------


@dataclass(frozen=True)
class UnitRecord:
    """One unit's answer to one round: projects asked, reported on time, reported late."""

    unit: str
    asked: int
    on_time: int
    late: int
    status: Status

    @property
    def reported(self) -> int:
        """Projects reported on, on time or late."""
        return self.on_time + self.late


def status_of(asked: int, on_time: int, late: int, closed: bool) -> Status:
    """A unit's standing: every project reported (late if any was), else missing once the
    deadline passed, or still open before it."""
    if on_time + late < asked:
        return "missing" if closed else "open"
    return "late" if late else "on_time"


def tally(
    asked: Iterable[tuple[str, str]], reported: Mapping[tuple[str, str], bool], closed: bool
) -> list[UnitRecord]:
    """Each unit's record, by unit code: `asked` holds (project, unit) pairs, `reported`
    maps a reported pair to whether its report came late."""
    per_unit: dict[str, list[int]] = {}
    for project, unit in asked:
        counts = per_unit.setdefault(unit.upper(), [0, 0, 0])
        counts[0] += 1
        late = reported.get((project.upper(), unit.upper()))
        if late is not None:
            counts[2 if late else 1] += 1
    return [
        UnitRecord(unit, n, on_time, late, status_of(n, on_time, late, closed))
        for unit, (n, on_time, late) in sorted(per_unit.items())
    ]


@dataclass(frozen=True)
class Standing:
    """A round and how every unit asked answered it (plain data for chat and dashboard)."""

    round_id: int
    scope: Scope
    opened_at: datetime
    deadline_at: datetime
    closed: bool
    units: tuple[UnitRecord, ...]

    def with_status(self, status: Status) -> list[str]:
        """The codes of the units in one standing."""
        return [u.unit for u in self.units if u.status == status]

    def count(self, status: Status) -> int:
        """How many units are in one standing."""
        return len(self.with_status(status))


@dataclass(frozen=True)
class UnitHistory:
    """One unit's record over several rounds: a cell per round (None: not asked)."""

    unit: str
    cells: tuple[Status | None, ...]

    def count(self, status: Status) -> int:
        """Rounds in which the unit stood so."""
        return sum(1 for cell in self.cells if cell == status)


@dataclass(frozen=True)
class Compliance:
    """The last rounds, oldest first, and each unit's history over them."""

    rounds: tuple[Standing, ...]
    units: tuple[UnitHistory, ...]


def history(rounds: Iterable[Standing]) -> Compliance:
    """Each unit's cells across rounds (oldest first), units by code."""
    ordered = tuple(rounds)
    codes = sorted({u.unit for r in ordered for u in r.units})
    cells = {code: [None] * len(ordered) for code in codes}
    for index, standing in enumerate(ordered):
        for record in standing.units:
            cells[record.unit][index] = record.status  # type: ignore[call-overload]
    return Compliance(ordered, tuple(UnitHistory(code, tuple(cells[code])) for code in codes))


# --- scheduled rounds ---------------------------------------------------------------------

_TIME = re.compile(r"^([01]?\d|2[0-3])(?::([0-5]\d)|点(?:([0-5]?\d)分?|(半))?)$")
# 每周五 / 每月1日 typed as one word: split the frequency from the day.
_GLUED = re.compile(r"^(每周|每星期|每个星期|每月|每个月)(.+)$")


@dataclass(frozen=True)
class Cadence:
    """When a scheduled round opens: weekly on a weekday (0 = Monday) or monthly on a day
    (1-28), at a local time."""

    freq: Literal["weekly", "monthly"]
    day: int
    at: str


def parse_cadence(words: list[str]) -> Cadence | None:
    """'weekly fri 09:00', 'monthly 1 09:00', '每周五 9点', '每周 周一 09:00', '每月1日 9:00'."""
    words = [keyword(w) for w in words]
    glued = _GLUED.match(words[0]) if words else None
    if glued:
        words = [glued.group(1), glued.group(2), *words[1:]]
    match = _TIME.match(words[2]) if len(words) == 3 else None
    if match is None:
        return None
    hour, minute, cn_minute, half = match.groups()
    at = f"{int(hour):02d}:{int(minute or cn_minute or (30 if half else 0)):02d}"
    freq, day = words[0], words[1]
    weekday = weekday_word(day)
    if weekday is None and len(day) == 1:
        weekday = weekday_word(f"周{day}")  # the 五 left when 每周五 is split
    if freq in WEEKLY_WORDS and weekday is not None:
        return Cadence("weekly", weekday, at)
    number = day.removesuffix("日").removesuffix("号")
    if freq in MONTHLY_WORDS and number.isdigit() and 1 <= int(number) <= 28:
        return Cadence("monthly", int(number), at)
    return None


def next_opening(cadence: Cadence, after: datetime, tz: ZoneInfo) -> datetime:
    """The first opening strictly after `after`, from the local wall-clock rule, in UTC."""
    hour, minute = (int(x) for x in cadence.at.split(":"))
    local = after.astimezone(tz).replace(tzinfo=None)
    start = local.replace(second=0, microsecond=0)
    by_day = (
        {"byweekday": cadence.day} if cadence.freq == "weekly" else {"bymonthday": cadence.day}
    )
    rule = rrule(
        WEEKLY if cadence.freq == "weekly" else MONTHLY,
        byhour=hour,
        byminute=minute,
        bysecond=0,
        dtstart=start,
        **by_day,  # type: ignore[arg-type]
    )
    found = rule.after(local, inc=False)
    assert found is not None
    return found.replace(tzinfo=tz).astimezone(UTC)
