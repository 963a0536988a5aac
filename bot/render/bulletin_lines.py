"""A bulletin's entry and risk lines, built for ten thousand entries.

What does not depend on the language (escaped texts and units, each entry's local day, the
grouping by project) is prepared once per issue and kept on its BulletinData, so publishing
both languages does it once; each language then fills its few translated pieces (day names,
tag labels, the line templates, translated once) into one f-string per line.
tests/test_bulletin_lines.py holds the lines equal to entry_line()/risk_text() rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.bulletin_data import BulletinData
from bot.render.dates import show_date
from bot.render.project import SEVERITY_NAMES, safe_text, safe_texts, tag_labels
from bot.render.text import esc

RISK_CLIP = 200
# Stored times are UTC ISO-8601 with milliseconds ("2027-03-04T08:00:00.000+00:00"), which
# sort as the instants do; anything else is parsed rather than compared as text.
_STAMP_LENGTH = 29

# One entry's pieces: number, local day, escaped unit, stored tags, escaped text.
Piece = tuple[int, date, str, str, str]


class Risk(NamedTuple):
    """An open risk's pieces: number, escaped project code, days open, severity, text."""

    id: int
    code: str
    age: int
    severity: str
    text: str


class Prepared(NamedTuple):
    """The language-independent part of an issue's entry and risk lines."""

    by_project: dict[str, list[Piece]]
    majors: list[tuple[Piece, str]]
    risks: list[Risk]


def prepared(data: BulletinData, tz: ZoneInfo) -> Prepared:
    """The issue's pieces in a time zone, prepared at the first language's rendering."""
    found = data.prepared.get(tz)
    if found is None:
        found = data.prepared[tz] = _prepare(data, tz)
    return found  # type: ignore[no-any-return]


def _prepare(data: BulletinData, tz: ZoneInfo) -> Prepared:
    rows = data.rows
    texts = safe_texts([r.text for r in rows])
    units: dict[str | None, str] = {}
    by_project: dict[str, list[Piece]] = {}
    majors: list[tuple[Piece, str]] = []
    days = local_days([r.created_at for r in rows], tz)
    for row, day, text in zip(rows, days, texts, strict=True):
        unit = units.get(row.author_unit)
        if unit is None:
            unit = units[row.author_unit] = safe_text(row.author_unit or "—")
        piece = (row.id, day, unit, row.tags, text)
        code = row.project_code.upper()
        group = by_project.get(code)
        if group is None:
            by_project[code] = [piece]
        else:
            group.append(piece)
        if " major " in row.tags:
            majors.append((piece, safe_text(row.project_code)))
    return Prepared(by_project, majors, _risks(data))


def _risks(data: BulletinData) -> list[Risk]:
    items = data.open_risks
    texts = safe_texts([item.entry.text for item in items], RISK_CLIP)
    codes: dict[str, str] = {}
    out = []
    for item, text in zip(items, texts, strict=True):
        e = item.entry
        code = codes.get(e.project_code)
        if code is None:
            code = codes[e.project_code] = esc(e.project_code)
        out.append(Risk(e.id, code, item.age_days, e.severity or "medium", text))
    return out


def local_days(stamps: list[str], tz: ZoneInfo) -> list[date]:
    """The local day of each stored UTC time; mostly in order, so each day's bounds are
    kept and compared as text, and only a time outside them is parsed."""
    out: list[date] = []
    lo = hi = ""
    day = date.min
    for stamp in stamps:
        if not (lo <= stamp < hi and len(stamp) == _STAMP_LENGTH):
            moment = datetime.fromisoformat(stamp)
            day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz).date()
            lo = _stamp(datetime.combine(day, time(), tz))
            hi = _stamp(datetime.combine(day + timedelta(days=1), time(), tz))
        out.append(day)
    return out


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def entry_lines(
    tr: Tr, pieces: list[Piece], day_names: dict[date, str], with_codes: list[str] | None = None
) -> Iterator[str]:
    """entry_line() of each entry (with its project's code when `with_codes` gives them)."""
    template = tr("{head}: {text}")
    labels: dict[str, str] = {}
    for tags in {p[3] for p in pieces}:
        label = tag_labels(tr, tuple(tags.split()))
        labels[tags] = f" {label}" if label else ""
    codes = [f"{code} · " for code in with_codes] if with_codes is not None else None
    around = _around(template, "{head}", "{text}")
    if around is None:
        for k, (n, day, unit, tags, text) in enumerate(pieces):
            project = codes[k] if codes else ""
            head = f"#{n} {project}{day_names[day]} {unit}{labels[tags]}"
            yield template.format(head=head, text=text)
        return
    before, between, after = around
    if codes is None:
        for n, day, unit, tags, text in pieces:
            yield f"{before}#{n} {day_names[day]} {unit}{labels[tags]}{between}{text}{after}"
    else:
        for (n, day, unit, tags, text), code in zip(pieces, codes, strict=True):
            yield f"{before}#{n} {code}{day_names[day]} {unit}{labels[tags]}{between}{text}{after}"


def day_namer(tr: Tr) -> Callable[[list[Piece]], dict[date, str]]:
    """The names of the local days a list of pieces falls on, in one language."""
    names: dict[date, str] = {}

    def name(pieces: list[Piece]) -> dict[date, str]:
        for day in {p[1] for p in pieces} - names.keys():
            names[day] = show_date(day, tr)
        return names

    return name


def risk_lines(tr: Tr, risks: list[Risk]) -> Iterator[str]:
    """The open-risk lines of the risks section, risk_text() inside each."""
    around: dict[str, tuple[str, str]] = {}
    for severity in {r.severity for r in risks}:
        name = SEVERITY_NAMES.get(severity, N_("medium"))
        shown = tr("[{severity}] {text}", severity=tr(name), text="\x01")
        head, _, tail = shown.partition("\x01")
        around[severity] = (head, tail)
    forms: dict[int, str] = {}
    for risk in risks:
        form = forms.get(risk.age)
        if form is None:
            form = forms[risk.age] = _positional(
                tr.ngettext(
                    "#{risk} {code}, open {n} day: {text}",
                    "#{risk} {code}, open {n} days: {text}",
                    risk.age,
                    risk="\x01",
                    code="\x02",
                    text="\x03",
                )
            )
        head, tail = around[risk.severity]
        yield form.format(risk.id, risk.code, head + risk.text + tail)


def _positional(text: str) -> str:
    """A message filled with the markers \\x01, \\x02, \\x03 as a format string with the
    fields {0}, {1}, {2} in their place (positional filling is the cheap one)."""
    text = text.replace("{", "{{").replace("}", "}}")
    for k in range(3):
        text = text.replace(chr(1 + k), f"{{{k}}}")
    return text


def _around(template: str, first: str, second: str) -> tuple[str, str, str] | None:
    """A translated template with two fields, as the text before, between and after them
    (joining pieces is several times cheaper than format() with keywords); None when the
    template has them the other way round or has other braces."""
    before, found, rest = template.partition(first)
    between, found_too, after = rest.partition(second)
    if not found or not found_too or any(c in before + between + after for c in "{}"):
        return None
    return before, between, after
