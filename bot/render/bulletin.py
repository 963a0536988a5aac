"""Pure rendering of a bulletin issue: a list of sections, then numbered message parts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Tr
from bot.render.actions import actions_section
from bot.render.bulletin_data import BulletinData
from bot.render.bulletin_lines import (
    Prepared,
    Style,
    _around,  # noqa: F401  (tests/test_bulletin_render.py)
    entry_lines,
    prepared,
    risk_lines,
    style,
)
from bot.render.dates import show_date, show_span
from bot.render.meeting import kind_name
from bot.render.project import (
    category_name,
    evaluation_result_line,
    one_line,
    stage_name,
    tier_name,
)
from bot.render.round_views import bulletin_section
from bot.render.text import MESSAGE_LIMIT, esc, split_sections
from bot.render.units import unit_labels
from storage.projects import CATEGORIES, STAGES, TIERS

PART_MARGIN = 40


def issue_label(tr: Tr, year: int, number: int) -> str:
    """'Bulletin 2026/3' / '2026年第3期'."""
    return tr("Bulletin {year}/{n}", year=year, n=number)


def issue_title(tr: Tr, year: int, number: int) -> str:
    """The bold title line of an issue."""
    return tr("<b>Bulletin {year}/{n}</b>", year=year, n=number)


def _date_cache(tr: Tr, tz: ZoneInfo) -> Callable[[datetime], str]:
    # Babel formatting costs ~50 µs and a bulletin has thousands of entries, mostly in
    # time order: remember the last local day's bounds and label, and a cache behind it.
    cache: dict[date, str] = {}
    last: list[Any] = [None, None, ""]

    def show(moment: datetime) -> str:
        lo, hi, label = last
        if lo is not None and lo <= moment < hi:
            return str(label)
        day = moment.astimezone(tz).date()
        if day not in cache:
            cache[day] = show_date(day, tr)
        # Bounds in UTC, like the stored times: same-tzinfo comparisons are the cheap ones.
        start = datetime.combine(day, time(), tz).astimezone(UTC)
        end = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)
        last[:] = [start, end, cache[day]]
        return cache[day]

    return show


def render_sections(
    data: BulletinData,
    tr: Tr,
    tz: ZoneInfo,
    year: int,
    number: int,
    draft: bool = False,
) -> list[str]:
    """Every section of an issue as HTML, each tag opening and closing on one line."""
    _ = tr
    day = _date_cache(tr, tz)
    sections = [_header(data, tr, tz, year, number, draft)]
    if data.stage_changes:
        lines = [_("<b>Stage changes</b>")]
        for ch in data.stage_changes:
            known = data.projects.get(ch.project_code.upper())
            name = esc(one_line(known.name, 80)) if known else ""
            change = f"{stage_name(tr, ch.from_stage or '')} → {stage_name(tr, ch.to_stage)}"
            if ch.note:
                change = tr("{text} ({note})", text=change, note=esc(one_line(ch.note, 200)))
            head = f"{day(ch.at)} <b>{esc(ch.project_code)}</b> {name}"
            lines.append(tr("{head}: {text}", head=head, text=change))
        sections.append("\n".join(lines))
    ready = prepared(data, tz)
    lang = style(tr, ready)
    if ready.major_codes:
        lines = [_("<b>Major events</b>"), *entry_lines(lang, ready.majors, ready.major_codes)]
        sections.append("\n".join(lines))
    sections += _progress(data, tr, ready, lang)
    sections.append(_risks(data, tr, ready))
    if data.rounds:  # who answered the period's reporting rounds
        sections.append(bulletin_section(tr, tz, data.rounds, data.unit_names))
    if data.silent:
        lines = [
            _.ngettext(
                "<b>Silent projects</b> (no progress for over {n} day)",
                "<b>Silent projects</b> (no progress for over {n} days)",
                data.silent_days,
            )
        ]
        for project, days in data.silent:
            since = (
                _.ngettext("{n} day since the last entry", "{n} days since the last entry", days)
                if days is not None
                else _("nothing logged yet")
            )
            head = f"<b>{esc(project.code)}</b> {esc(one_line(project.name, 80))}"
            lines.append(_("{head}: {text}", head=head, text=since))
        sections.append("\n".join(lines))
    if data.results:
        lines = [_("<b>Evaluation results</b>")]
        for result in data.results:
            lines.append(f"<b>{esc(result.project_code)}</b> {evaluation_result_line(result, tr)}")
        sections.append("\n".join(lines))
    lines = [_("<b>Upcoming meetings (next 14 days)</b>")]
    if not data.meetings:
        lines.append(_("None scheduled."))
    for m in data.meetings:
        place = f" · {esc(one_line(m.place, 120))}" if m.place else ""
        title = f"<b>{esc(one_line(m.title, 120))}</b>"
        lines.append(
            f"{show_span(m.start, m.end, tz, tr)} "
            + _("{text} ({note})", text=title, note=kind_name(tr, m.kind))
            + place
        )
    sections.append("\n".join(lines))
    # Open and overdue action items from meeting minutes follow themselves up here.
    sections.append(actions_section(data.actions, tr, tz, data.period_end))
    return sections


def _header(data: BulletinData, tr: Tr, tz: ZoneInfo, year: int, number: int, draft: bool) -> str:
    _ = tr
    lines = [issue_title(tr, year, number), _("Coordination Group Secretariat")]
    if draft:
        lines.append(_("<i>Draft, not yet published</i>"))
    end = show_date(data.period_end.astimezone(tz).date(), tr)
    if data.period_start is None:
        lines.append(_("Covers everything up to {end}", end=end))
    else:
        start = show_date(data.period_start.astimezone(tz).date(), tr)
        lines.append(_("Covers {start} to {end}", start=start, end=end))
    # Counts with their measure words in Chinese: 专业评估1个、试点运行2个.
    stages = tr.join(
        _("{stage} {n}", stage=stage_name(tr, s), n=data.stage_counts[s])
        for s in STAGES
        if data.stage_counts.get(s)
    )
    lines.append(
        _(
            "Summary: projects by stage: {stages}; {entries}, {new}, {closed}.",
            stages=stages or "—",
            entries=_.ngettext("{n} entry", "{n} entries", len(data.entries)),
            new=_.ngettext("{n} new risk", "{n} new risks", data.new_risks),
            closed=_.ngettext("{n} risk closed", "{n} risks closed", len(data.closures)),
        )
    )
    names = data.unit_names
    lines.append(
        _("Units that reported: {units}", units=unit_labels(tr, data.units_reported, names) or "—")
    )
    if data.units_silent:
        lines.append(
            _("Units with no report: {units}", units=unit_labels(tr, data.units_silent, names))
        )
    return "\n".join(lines)


def _progress(data: BulletinData, tr: Tr, ready: Prepared, lang: Style) -> list[str]:
    """One section per category: its projects, focus tier first, each with its entries."""
    by_project = ready.by_project
    if not by_project:
        return [tr("<b>Progress</b>") + "\n" + tr("No progress logged in this period.")]
    every = entry_lines(lang, ready.entries)  # in the order logged; each project takes its own
    sections = []
    for category in CATEGORIES:
        codes = sorted(
            (c for c in by_project if data.projects[c].category == category),
            key=lambda c: (_tier_rank(data.projects[c].tier), c),
        )
        if not codes:
            continue
        lines = [tr("<b>Progress: {category}</b>", category=category_name(tr, category))]
        for code in codes:
            project = data.projects[code]
            head = f"<u>{esc(project.code)} {esc(one_line(project.name, 80))}</u>"
            if project.tier:
                head += tr(" ({tier})", tier=tier_name(tr, project.tier))
            lines.append(head)
            lines.extend(map(every.__getitem__, by_project[code]))
        sections.append("\n".join(lines))
    return sections


def _tier_rank(tier: str) -> int:
    # Supervision intensity orders the bulletin: focus (重点) first, projects without a tier last.
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def _risks(data: BulletinData, tr: Tr, ready: Prepared) -> str:
    _ = tr
    lines = [_("<b>Open risks and rectifications</b>")]
    if not data.open_risks and not data.closures:
        lines.append(_("No open risks."))
    lines.extend(risk_lines(tr, ready.risks))
    for c in data.closures:
        lines.append(
            _.ngettext(
                "#{risk} {code} closed by #{by} after {n} day",
                "#{risk} {code} closed by #{by} after {n} days",
                c.days_open,
                risk=c.risk.id,
                code=esc(c.risk.project_code),
                by=c.rectification.id,
            )
        )
    return "\n".join(lines)


def to_parts(sections: list[str], tr: Tr) -> list[str]:
    """Messages from sections, split on section boundaries, numbered when more than one."""
    parts = split_sections(sections, MESSAGE_LIMIT - PART_MARGIN)
    if len(parts) == 1:
        return parts
    total = len(parts)
    return [
        tr("<i>Part {i} of {n}</i>", i=i, n=total) + "\n" + part
        for i, part in enumerate(parts, start=1)
    ]
