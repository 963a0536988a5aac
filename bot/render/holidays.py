"""Holidays as the chat reads them: names, sources, the year listing and the warning that a
year's official arrangement is not loaded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.domain.timeparse import DayInfo, HolidayCalendar, canonical_holiday
from bot.i18n import N_, Tr
from bot.render.dates import show_date
from bot.render.text import esc

HOLIDAY_NAMES = {
    "New Year's Day": N_("New Year's Day"),
    "Spring Festival": N_("Spring Festival"),
    "Tomb-sweeping Day": N_("Tomb-sweeping Day"),
    "Labour Day": N_("Labour Day"),
    "Dragon Boat Festival": N_("Dragon Boat Festival"),
    "National Day": N_("National Day"),
    "Mid-autumn Festival": N_("Mid-autumn Festival"),
}
SOURCES = {
    "admin": N_("entered by an admin"),
    "chinesecalendar": N_("chinesecalendar"),
    "python-holidays": N_("python-holidays"),
    "assumed": N_("assumed"),
}
# An example entry for the usage hints, in each language's own words.
SET_EXAMPLE = N_("/holiday_set 2027-02-05..2027-02-12 off Spring Festival")


def holiday_label(name: str | None, tr: Tr) -> str:
    """A holiday's name in the chat's language (HTML-safe); an unknown name as entered."""
    key = canonical_holiday(name)
    if key is None:
        return ""
    return tr(HOLIDAY_NAMES[key]) if key in HOLIDAY_NAMES else esc(key)


def source_label(source: str, tr: Tr) -> str:
    """Where a day's status comes from, in the chat's language."""
    return tr(SOURCES.get(source, source))


def span_text(first: date, last: date, tr: Tr) -> str:
    """One date, or a range of dates."""
    if first == last:
        return show_date(first, tr)
    return tr("{start} – {end}", start=show_date(first, tr), end=show_date(last, tr))


def not_loaded(cal: HolidayCalendar, year: int, tr: Tr) -> str | None:
    """The warning for a year whose official arrangement is not loaded, else None."""
    basis = cal.assumption(year)
    if basis is None:
        return None
    if basis == "statutory":
        return tr(
            "The official holiday arrangement for {year} is not loaded: I assumed the "
            "statutory holidays as python-holidays computes them (with days in lieu for those "
            "on a weekend) and no make-up working days. An admin enters the State Council's "
            "arrangement with /holiday_set.",
            year=year,
        )
    return tr(
        "The official holiday arrangement for {year} is not loaded and no package knows "
        "that year: I assumed weekends only. An admin enters the State Council's "
        "arrangement with /holiday_set.",
        year=year,
    )


def arrangement_line(cal: HolidayCalendar, year: int, tr: Tr) -> str:
    """Where a year's arrangement comes from, as the head of /holidays."""
    source = cal.arrangement(year)
    if source in ("chinesecalendar", "python-holidays"):
        line = tr(
            "The State Council's arrangement for {year}, from {source}.",
            year=year,
            source=source_label(source, tr),
        )
        if cal.admin_days(year):
            line += "\n" + tr("Days entered by an admin take precedence.")
        return line
    if source == "admin":
        if any(d.source != "admin" for d in cal.year_days(year)):
            return tr(
                "The arrangement for {year} as entered by admins; days they did not enter "
                "follow python-holidays' statutory holidays (marked assumed).",
                year=year,
            )
        return tr("The arrangement for {year} as entered by admins.", year=year)
    return "⚠️ " + (not_loaded(cal, year, tr) or "")


def _runs(days: Sequence[DayInfo]) -> list[tuple[date, date, DayInfo]]:
    """Consecutive days with the same kind, name and source, as (first, last, sample)."""
    runs: list[tuple[date, date, DayInfo]] = []
    for info in days:
        if runs:
            first, last, sample = runs[-1]
            same = (sample.working, sample.name, sample.source) == (
                info.working,
                info.name,
                info.source,
            )
            if same and info.day == last + timedelta(days=1):
                runs[-1] = (first, info.day, sample)
                continue
        runs.append((info.day, info.day, info))
    return runs


def _line(first: date, last: date, info: DayInfo, tr: Tr) -> str:
    name = holiday_label(info.name, tr) or (
        tr("day off") if not info.working else tr("working day")
    )
    return tr(
        "• {days}: {name} ({source})",
        days=span_text(first, last, tr),
        name=name,
        source=source_label(info.source, tr),
    )


def year_listing(cal: HolidayCalendar, year: int, tr: Tr, admin: bool) -> str:
    """/holidays: where the year's arrangement comes from, its days off and make-up
    working days, each with its source."""
    days = cal.year_days(year)
    lines = [tr("<b>Holidays in {year}</b>", year=year), arrangement_line(cal, year, tr)]
    off = [d for d in days if not d.working]
    work = [d for d in days if d.working]
    if off:
        lines += ["", tr("<b>Days off</b>")]
        lines += [_line(first, last, info, tr) for first, last, info in _runs(off)]
    if work:
        lines += ["", tr("<b>Working days (make-up days)</b>")]
        lines += [_line(first, last, info, tr) for first, last, info in _runs(work)]
    if not days:
        lines += ["", tr("No holidays are known for {year}.", year=year)]
    if admin:
        lines += ["", tr("Enter or correct days: {example}", example=esc(tr(SET_EXAMPLE)))]
    return "\n".join(lines)
