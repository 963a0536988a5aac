"""The holiday calendar: /holiday_set (admins enter the State Council's arrangement) and
/holidays (what is known for a year, and from where).

Entered days override the packages for every working-day rule; pending action reminders and
the weekly digest are re-planned in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.i18n import N_
from bot.render.dates import show_datetime
from bot.render.holidays import SET_EXAMPLE, holiday_label, span_text, year_listing
from bot.render.text import esc
from bot.services import holidays as service
from bot.services.holidays import What
from bot.telegram.commands import Call, CommandSpec, Field, Reply, UsageError

OFF_WORDS = ("off", "holiday", "放假", "休息", "休假", "休")
WORK_WORDS = ("workday", "work", "上班", "补班", "工作日", "班")
CLEAR_WORDS = ("clear", "reset", "清除", "删除", "撤销")
THIS_YEAR, NEXT_YEAR, LAST_YEAR = ("this", "今年", "本年"), ("next", "明年"), ("last", "去年")
MAX_DAYS = 31  # the longest break is nine days; a longer range is a typo
MAX_NAME = 40
FIRST_YEAR, LAST_YEAR_ALLOWED = 1950, 2100

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_SET = re.compile(
    rf"^\s*{_DATE}(?:\s*(?:\.\.+|…|~|至|到|—|–)\s*{_DATE})?\s*(.*)$",
    re.DOTALL,
)
_WORDS: list[tuple[str, What]] = sorted(
    [(w, "off") for w in OFF_WORDS]
    + [(w, "work") for w in WORK_WORDS]
    + [(w, "clear") for w in CLEAR_WORDS],
    key=lambda pair: -len(pair[0]),
)


def _normal(text: str) -> str:
    """Full-width digits, spaces and bars as people type them on a phone, made plain."""
    return unicodedata.normalize("NFKC", text)


def _date(call: Call, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise UsageError(
            call.tr("{text} is not a date.", text=esc(f"{year}-{month}-{day}"))
        ) from None


def _word(rest: str) -> tuple[What, str] | None:
    """(what, name) from 'off Spring Festival', '休 春节', '班春节'."""
    folded = rest.casefold()
    for word, what in _WORDS:
        if folded.startswith(word):
            after = rest[len(word) :]
            if word.isascii() and after[:1].isascii() and after[:1].isalnum():
                continue  # 'offices' is not 'off'
            return what, after.strip().lstrip("|:：").strip()
    return None


def parse_set(call: Call) -> tuple[date, date, What, str | None]:
    """(first, last, off|work|clear, name) from /holiday_set's arguments."""
    found = _SET.match(_normal(call.args))
    if not found:
        raise UsageError()
    first = _date(call, *found.group(1, 2, 3))
    last = _date(call, *found.group(4, 5, 6)) if found.group(4) else first
    pair = _word(found.group(7).strip())
    if pair is None:
        raise UsageError(call.tr("Say off (休) or work (班) after the dates."))
    what, name = pair
    if last < first:
        raise UsageError(call.tr("The range ends before it begins."))
    if (last - first).days >= MAX_DAYS:
        raise UsageError(call.tr("A range covers at most {n} days.", n=MAX_DAYS))
    if not (FIRST_YEAR <= first.year and last.year <= LAST_YEAR_ALLOWED):
        raise UsageError(
            call.tr("Years run from {first} to {last}.", first=FIRST_YEAR, last=LAST_YEAR_ALLOWED)
        )
    if len(name) > MAX_NAME:
        raise UsageError(call.tr("A holiday name has at most {n} characters.", n=MAX_NAME))
    return first, last, what, name or None


def holiday_set(call: Call) -> Reply:
    """Enter days off or working days of the official arrangement, or clear entries."""
    first, last, what, name = parse_set(call)
    _ = call.tr
    done = service.set_days(call.services, first, last, what, name, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    days = span_text(first, last, _)
    label = holiday_label(name, _)
    if what == "clear":
        lines = [_("Cleared the entries for {days}: the packages' calendar applies.", days=days)]
    elif what == "off":
        lines = [
            _("Entered: off on {days} ({name}).", days=days, name=label)
            if label
            else _("Entered: off on {days}.", days=days)
        ]
    else:
        lines = [
            _("Entered: working on {days} ({name}).", days=days, name=label)
            if label
            else _("Entered: working on {days}.", days=days)
        ]
    for year, source in done.sources.items():
        lines.append(
            _(
                "{year} now follows {source}. See /holidays {year}.",
                year=year,
                source=_describe(source, call),
            )
        )
    if done.replanned:
        ids = _join([f"A{i}" for i in done.replanned], call)
        lines.append(_("Action reminders re-planned: {ids}.", ids=ids))
    if done.meetings_on_days:
        tz = call.services.config.tz
        on_them = [
            _(
                "#{id} {title} ({when})",
                id=m.id,
                title=esc(m.title),
                when=show_datetime(m.start, tz, _),
            )
            for m in done.meetings_on_days
        ]
        lines.append(_("Meetings on these days: {meetings}.", meetings=_join(on_them, call)))
    return Reply(text="\n".join(lines))


def _join(items: list[str], call: Call) -> str:
    """A list as each language writes it: 、 in Chinese."""
    return ("、" if call.tr.lang == "zh" else ", ").join(items)


def _describe(source: str, call: Call) -> str:
    names = {
        "admin": N_("the days entered by admins"),
        "chinesecalendar": N_("chinesecalendar, with the days entered by admins over it"),
        "python-holidays": N_("python-holidays, with the days entered by admins over it"),
        "assumed": N_("python-holidays' statutory holidays (assumed)"),
    }
    return call.tr(names[source])


def parse_year(call: Call) -> int:
    """The year /holidays asks about: 2027, 2027年, this/今年, next/明年, last/去年."""
    text = _normal(call.args).strip().casefold().removesuffix("年").strip()
    this = call.now.astimezone(call.services.config.tz).year
    if not text or text in THIS_YEAR or text == "今":
        return this
    if text in NEXT_YEAR or text == "明":
        return this + 1
    if text in LAST_YEAR or text == "去":
        return this - 1
    if text.isascii() and text.isdigit() and len(text) == 4:
        year = int(text)
        if FIRST_YEAR <= year <= LAST_YEAR_ALLOWED:
            return year
    raise UsageError()


def holidays_list(call: Call) -> Reply:
    """A year's days off and make-up working days, each with where it comes from."""
    year = parse_year(call)
    cal = service.calendar(call.services)
    return Reply(text=year_listing(cal, year, call.tr, admin=call.user.role == "admin"))


COMMANDS = [
    CommandSpec(
        "holiday_set",
        holiday_set,
        N_("enter the official holiday arrangement: days off and make-up working days"),
        N_("/holiday_set <YYYY-MM-DD>[..<YYYY-MM-DD>] <off|work|clear> [name]"),
        SET_EXAMPLE,
        role="admin",
        writes=True,
        separator=" ",
        fields=(
            Field(N_("Date or range (e.g. 2027-02-05..2027-02-12)?")),
            Field(N_("off (休) or work (班)? clear removes the entries.")),
            Field(N_("Holiday name (e.g. Spring Festival)?"), optional=True),
        ),
    ),
    CommandSpec(
        "holidays",
        holidays_list,
        N_("the holidays and make-up working days of a year, and where they come from"),
        N_("/holidays [year]"),
        N_("/holidays 2027"),
        role="member",
    ),
]
