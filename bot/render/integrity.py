"""Pure rendering of a lead institution's integrity record (诚信档案)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Tr
from bot.render.dates import show_date
from bot.render.project import one_line
from bot.render.text import esc
from storage.integrity import RecordEntry, RecordItem, RecordPage, ReportMark, RiskMark


def _day(moment: datetime, tr: Tr, tz: ZoneInfo) -> str:
    return show_date(moment.astimezone(tz).date(), tr)


def _heads(found: RecordPage, tr: Tr) -> dict[str, str]:
    _ = tr
    return {
        "report": _("<b>Late or missing reports</b>"),
        "risk": _.ngettext(
            "<b>Risks open over {n} day</b>",
            "<b>Risks open over {n} days</b>",
            found.threshold_days,
        ),
        "rectification": _("<b>Rectifications</b>"),
        "entry": _("<b>Recorded entries</b>"),
    }


def _window(found: RecordPage, tr: Tr, tz: ZoneInfo) -> str:
    if found.days is not None:
        return tr.ngettext("Last {n} day", "Last {n} days", found.days)
    if found.since is not None:
        return tr("Since {day}", day=_day(found.since, tr, tz))
    return tr("The whole record")


def item_line(item: RecordItem, found: RecordPage, tr: Tr, tz: ZoneInfo) -> str:
    """One mark on the record, after its day."""
    _ = tr
    mark = item.mark
    if isinstance(mark, ReportMark):
        text = _(
            "Round #{n}, {code} ({unit}), due {day}: {what}",
            n=mark.round_id,
            code=esc(mark.project_code),
            unit=esc(mark.unit_code),
            day=_day(mark.deadline, tr, tz),
            what=_("late") if mark.late else _("missing"),
        )
    elif isinstance(mark, RiskMark) and item.kind == "risk":
        text = _.ngettext(
            "#{risk} {code}, open {n} day: {text}",
            "#{risk} {code}, open {n} days: {text}",
            mark.days,
            risk=mark.entry.id,
            code=esc(mark.entry.project_code),
            text=esc(one_line(mark.entry.text, 200)),
        )
    elif isinstance(mark, RiskMark):
        late = mark.days > found.threshold_days
        text = _.ngettext(
            "#{risk} {code} closed by #{by} after {n} day",
            "#{risk} {code} closed by #{by} after {n} days",
            mark.days,
            risk=mark.entry.id,
            code=esc(mark.entry.project_code),
            by=mark.closed_by,
        ) + (_(" (late)") if late else _(" (on time)"))
    else:
        assert isinstance(mark, RecordEntry)
        text = _(
            "Recorded about {code}: {text}",
            code=esc(mark.project_code),
            text=esc(one_line(mark.text, 500)),
        )
    return f"{_day(item.at, tr, tz)} · {text}"


def record_text(found: RecordPage, tr: Tr, tz: ZoneInfo) -> str:
    """The /record answer: the window, the totals per kind, then one page newest first."""
    _ = tr
    heads = _heads(found, tr)
    lines = [
        _("<b>Integrity record: {lead}</b>", lead=esc(found.lead)),
        _("Projects: {codes}", codes=_.join(esc(p.code) for p in found.projects) or "—"),
        _("Window: {window}", window=_window(found, tr, tz)),
        "",
    ]
    for kind, head in heads.items():
        total = _("{kind}: {n}", kind=head, n=found.totals[kind])
        if kind == "rectification" and found.late_rectifications:
            total += _(" ({n} late)", n=found.late_rectifications)
        lines.append(total)
    lines.append("")
    if not found.items:
        lines.append(_("Nothing on the record in this window."))
        return "\n".join(lines)
    lines.append(_("Page {page} of {pages}, newest first:", page=found.page, pages=found.pages))
    lines += [item_line(item, found, tr, tz) for item in found.items]
    return "\n".join(lines)
