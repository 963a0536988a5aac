"""Pure rendering of a lead institution's integrity record (诚信档案)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import Tr
from bot.render.dates import show_date
from bot.render.project import one_line
from bot.render.text import esc
from storage.integrity import Record


def record_text(found: Record, tr: Tr, tz: ZoneInfo) -> str:
    """The /record answer: reports, open risks, rectifications, recorded entries."""
    _ = tr

    def day(moment: object) -> str:
        return show_date(moment.astimezone(tz).date(), tr)  # type: ignore[attr-defined]

    lines = [
        _("<b>Integrity record: {lead}</b>", lead=esc(found.lead)),
        _("Projects: {codes}", codes=_.join(esc(p.code) for p in found.projects) or "—"),
        "",
        _("<b>Late or missing reports</b>"),
    ]
    for mark in found.reports:
        lines.append(
            _(
                "Round #{n}, {code} ({unit}), due {day}: {what}",
                n=mark.round_id,
                code=esc(mark.project_code),
                unit=esc(mark.unit_code),
                day=day(mark.deadline),
                what=_("late") if mark.late else _("missing"),
            )
        )
    if not found.reports:
        lines.append(_("None."))
    lines += [
        "",
        _.ngettext(
            "<b>Risks open over {n} day</b>",
            "<b>Risks open over {n} days</b>",
            found.threshold_days,
        ),
    ]
    for risk in found.open_risks:
        lines.append(
            _.ngettext(
                "#{risk} {code}, open {n} day: {text}",
                "#{risk} {code}, open {n} days: {text}",
                risk.days,
                risk=risk.entry.id,
                code=esc(risk.entry.project_code),
                text=esc(one_line(risk.entry.text, 200)),
            )
        )
    if not found.open_risks:
        lines.append(_("None."))
    lines += ["", _("<b>Rectifications</b>")]
    for fix in found.rectifications:
        late = fix.days > found.threshold_days
        lines.append(
            _.ngettext(
                "#{risk} {code} closed by #{by} after {n} day",
                "#{risk} {code} closed by #{by} after {n} days",
                fix.days,
                risk=fix.entry.id,
                code=esc(fix.entry.project_code),
                by=fix.closed_by,
            )
            + (_(" (late)") if late else _(" (on time)"))
        )
    if not found.rectifications:
        lines.append(_("None."))
    lines += ["", _("<b>Recorded entries</b>")]
    for entry in found.entries:
        lines.append(
            _(
                "{day} {code}: {text}",
                day=day(entry.at),
                code=esc(entry.project_code),
                text=esc(one_line(entry.text, 500)),
            )
        )
    if not found.entries:
        lines.append(_("None."))
    return "\n".join(lines)
