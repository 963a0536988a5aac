"""A bulletin's entry and risk lines, built for ten thousand entries.

What does not depend on the language (escaped texts and units, each entry's local day, the
grouping by project) is prepared once per issue and kept on its BulletinData, so publishing
both languages does it once; each language then translates its few pieces once (day names,
tag labels, the line templates) and fills them into one f-string per line.
tests/test_bulletin_lines.py holds the lines equal to entry_line() and risk_text().
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.bulletin_data import BulletinData
from bot.render.dates import show_date
from bot.render.project import ENTRY_CLIP, SEVERITY_NAMES, safe_text, safe_texts, tag_labels
from bot.render.text import esc
from storage.progress import Entry
from storage.progress_reads import RiskRow

# An entry's stored line_html stands for a risk line's text when the text is within
# RISK_CLIP (storage.progress_reads.open_risk_rows): it must not exceed ENTRY_CLIP (a test
# holds it).
RISK_CLIP = 200
# Stored times are UTC ISO-8601 with milliseconds ("2027-03-04T08:00:00.000+00:00"), which
# sort as the instants do; a time in any other form is parsed rather than compared as text.
_STAMP_LENGTH = 29

# Entries column by column: numbers, local days, escaped units, stored tags, escaped texts.
Columns = tuple[list[int], list[date], list[str], list[str], list[str]]


# An open risk's pieces: number, escaped project code, days open, severity, escaped text.
Risk = tuple[int, str, int, str, str]


class Prepared(NamedTuple):
    """The language-independent part of an issue's entry and risk lines."""

    entries: Columns
    by_project: dict[str, list[int]]  # positions in `entries`, by upper-case project code
    majors: Columns
    major_codes: list[str]
    risks: list[Risk]
    days: set[date]
    tags: set[str]


class Style(NamedTuple):
    """One language's pieces of an entry line: the template's text around head and text
    (or the template itself when it has them the other way round), day names, tag labels."""

    before: str
    between: str
    after: str
    template: str | None
    days: dict[date, str]
    labels: dict[str, str]


def prepared(data: BulletinData, tz: ZoneInfo) -> Prepared:
    """The issue's pieces in a time zone, prepared at the first language's rendering."""
    found = data.prepared.get(tz)
    if found is None:
        found = data.prepared[tz] = _prepare(data, tz)
    return found  # type: ignore[no-any-return]


def _prepare(data: BulletinData, tz: ZoneInfo) -> Prepared:
    rows = data.rows
    # Column by column, mostly in C: a Python loop over ten thousand rows costs more.
    units = {unit: safe_text(unit or "—") for unit in set(map(itemgetter(2), rows))}
    tags = list(map(itemgetter(4), rows))
    days = local_days(list(map(itemgetter(5), rows)), tz)
    entries: Columns = (
        list(map(itemgetter(0), rows)),
        days,
        list(map(units.__getitem__, map(itemgetter(2), rows))),
        tags,
        shown_texts(list(map(itemgetter(3), rows)), list(map(itemgetter(6), rows)), ENTRY_CLIP),
    )
    by_project: defaultdict[str, list[int]] = defaultdict(list)
    for k, code in enumerate(map(str.upper, map(itemgetter(1), rows))):
        by_project[code].append(k)
    majors = [k for k, tags_text in enumerate(tags) if " major " in tags_text]
    major_entries: Columns = tuple([column[k] for k in majors] for column in entries)  # type: ignore[assignment]
    major_codes = [safe_text(rows[k][1]) for k in majors]
    return Prepared(
        entries, dict(by_project), major_entries, major_codes, _risks(data), set(days), set(tags)
    )


def _risks(data: BulletinData) -> list[Risk]:
    items = data.open_risks
    rows = [_risk_row(e) if isinstance(e, Entry) else e for e in map(itemgetter(0), items)]
    codes = list(map(itemgetter(1), rows))
    escaped = {code: esc(code) for code in set(codes)}
    return list(
        zip(
            map(itemgetter(0), rows),
            map(escaped.__getitem__, codes),
            map(itemgetter(1), items),
            [severity or "medium" for severity in map(itemgetter(4), rows)],
            shown_texts(list(map(itemgetter(2), rows)), list(map(itemgetter(5), rows)), RISK_CLIP),
            strict=True,
        )
    )


def _risk_row(e: Entry) -> RiskRow:
    return (e.id, e.project_code, e.text, "", e.severity, 1)


def shown_texts(texts: list[str], raw: list[int], limit: int) -> list[str]:
    """Texts as lines show them: those stored so already (raw 0) as they are, the others
    (raw 1: logged before line_html was stored, or longer than a risk line shows) prepared."""
    if 1 not in raw:
        return texts
    typed = [k for k, flag in enumerate(raw) if flag]
    for k, shown in zip(typed, safe_texts([texts[k] for k in typed], limit), strict=True):
        texts[k] = shown
    return texts


def line_html(text: str) -> str:
    """What an entry's line shows of its text, stored with the entry (storage EntryRow)."""
    return safe_text(text)


def local_days(stamps: list[str], tz: ZoneInfo) -> list[date]:
    """The local day of each stored UTC time (given mostly in time order)."""
    # Each day's bounds are kept and compared as text; only a time outside them is parsed.
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


def style(tr: Tr, ready: Prepared) -> Style:
    """The translated pieces of an issue's entry lines in one language."""
    template = tr("{head}: {text}")
    around = _around(template, "{head}", "{text}")
    before, between, after = around or ("", "", "")
    labels = {}
    for tags in ready.tags:
        label = tag_labels(tr, tuple(tags.split()))
        labels[tags] = f" {label}" if label else ""
    days = {day: show_date(day, tr) for day in ready.days}
    return Style(before, between, after, None if around else template, days, labels)


def entry_lines(lang: Style, entries: Columns, codes: list[str] | None = None) -> list[str]:
    """entry_line() of each entry (with its project's code when `codes` gives them)."""
    b, m, a, template, days, labels = lang
    if template is None and codes is None:
        columns = zip(*entries, strict=True)
        return [f"{b}#{n} {days[d]} {u}{labels[t]}{m}{x}{a}" for n, d, u, t, x in columns]
    projects = [f"{code} · " for code in codes] if codes is not None else [""] * len(entries[0])
    heads = [
        f"#{n} {project}{days[d]} {u}{labels[t]}"
        for n, d, u, t, project in zip(*entries[:4], projects, strict=True)
    ]
    if template is None:
        return [f"{b}{head}{m}{x}{a}" for head, x in zip(heads, entries[4], strict=True)]
    return [template.format(head=head, text=x) for head, x in zip(heads, entries[4], strict=True)]


def risk_lines(tr: Tr, risks: list[Risk]) -> Iterator[str]:
    """The open-risk lines of the risks section, risk_text() inside each."""
    around: dict[str, tuple[str, str]] = {}
    for severity in {r[3] for r in risks}:
        name = SEVERITY_NAMES.get(severity, N_("medium"))
        shown = tr("[{severity}] {text}", severity=tr(name), text="\x01")
        head, _, tail = shown.partition("\x01")
        around[severity] = (head, tail)
    forms: dict[int, str] = {}
    for n, code, age, severity, text in risks:
        form = forms.get(age)
        if form is None:
            form = forms[age] = _positional(
                tr.ngettext(
                    "#{risk} {code}, open {n} day: {text}",
                    "#{risk} {code}, open {n} days: {text}",
                    age,
                    risk="\x01",
                    code="\x02",
                    text="\x03",
                )
            )
        head, tail = around[severity]
        yield form.format(n, code, head + text + tail)


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
