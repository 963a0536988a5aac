"""Minutes as documents (pure, bytes): Markdown and Word (python-docx), titled and numbered
like official meeting minutes (会议纪要, （2026）第3号)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.i18n import Tr
from bot.render.agenda import item_kind
from bot.render.dates import show_date, show_span
from bot.render.meeting import kind_name
from bot.render.minutes import MinutesData, by_owner, discussed, not_reached, number_text
from storage.actions import Action

Block = tuple[str, str]  # (style: title|number|h|p|li|sign, text)
# XML 1.0 (and so .docx) cannot hold most control characters; users may send them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class _Ctx:
    tz: ZoneInfo
    tr: Tr
    today: date


def _action_text(action: Action, ctx: _Ctx) -> str:
    tr = ctx.tr
    text = f"A{action.id} {action.text} — " + tr("due {date}", date=show_date(action.due, tr))
    if action.state == "done":
        text += " (" + tr("done") + ")"
    elif action.overdue(ctx.today):
        text += " (" + tr("overdue") + ")"
    return text


def blocks(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> list[Block]:
    """The document's paragraphs in order, each with its style."""
    ctx, meeting = _Ctx(tz, tr, today), data.sitting.meeting
    out: list[Block] = [("title", tr("Meeting minutes"))]
    out.append(
        ("number", number_text(data.publication, tr) if data.publication else tr("DRAFT minutes"))
    )
    out.append(("p", f"{kind_name(tr, meeting.kind)}: {meeting.title}"))
    out.append(("p", tr("Time: {span}", span=show_span(meeting.start, meeting.end, tz, tr))))
    if meeting.place:
        out.append(("p", tr("Place: {place}", place=meeting.place)))
    present = ", ".join(data.unit_names.get(c, c) for c in data.attendance)
    out.append(("p", tr("Present: {units}", units=present or "—")))
    out.append(("h", tr("Items discussed")))
    for number, item in discussed(data):
        out.append(("p", f"{number}. [{item_kind(tr, item.kind)}] {item.title}"))
        for decision in (d for d in data.decisions if d.item_id == item.id):
            out.append(("li", tr("Decided: {text}", text=decision.text)))
    general = [d for d in data.decisions if d.item_id is None]
    if general:
        out.append(("h", tr("Other decisions")))
        out += [("li", d.text) for d in general]
    left = not_reached(data)
    if left:
        out.append(("h", tr("Items not reached")))
        out += [("li", f"{n}. {i.title}") for n, i in left]
    out.append(("h", tr("Action items")))
    for owner, found in by_owner(data.actions, tr):
        out.append(("p", owner))
        out += [("li", _action_text(a, ctx)) for a in found]
    if data.corrections:
        out.append(("h", tr("Corrections")))
        out += [
            ("li", f"{show_date(c.recorded_at.astimezone(tz).date(), tr)}: {c.text}")
            for c in data.corrections
        ]
    out.append(("sign", tr("Coordination Group Secretariat")))
    return [(style, _CONTROL.sub("", text)) for style, text in out]


def minutes_md(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The minutes as Markdown (UTF-8)."""
    prefix = {"title": "# ", "number": "", "h": "## ", "p": "", "li": "- ", "sign": ""}
    lines = []
    for style, text in blocks(data, tz, tr, today):
        clean = text.replace("\n", " ")
        lines.append(prefix[style] + (f"**{clean}**" if style == "number" else clean))
        if style != "li":
            lines.append("")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def minutes_docx(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The minutes as a Word document: centred title and number, headings, bullet lists."""
    doc = DocxDocument()
    for style, text in blocks(data, tz, tr, today):
        if style == "title":
            para = doc.add_heading(text, level=0)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif style == "number":
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(text).font.size = Pt(14)
        elif style == "h":
            doc.add_heading(text, level=2)
        elif style == "li":
            doc.add_paragraph(text, style="List Bullet")
        elif style == "sign":
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
