"""A project's dossier (试点项目档案) as a document in the GB/T 9704 layout: Word or Markdown
from the same blocks (bot/render/official_docx.py, doc_markdown.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.i18n import Tr
from bot.render.changes import STATE_NAMES as CHANGE_STATES
from bot.render.doc_markdown import render_markdown
from bot.render.official_doc import (
    Block,
    Heading,
    Imprint,
    Labelled,
    Para,
    Title,
    heading_number,
    official_date,
)
from bot.render.official_docx import render_docx
from bot.render.project import DIMENSION_NAMES, category_name, stage_name, tag_labels, tier_name
from storage.dossier import Dossier


def title(d: Dossier, tr: Tr) -> str:
    """The document's title: 试点项目档案 and the project's name."""
    return tr("Pilot project dossier: {name}", name=d.project.name)


def _day(moment_day: date, tr: Tr) -> str:
    return official_date(moment_day, tr.lang)


def blocks(d: Dossier, tz: ZoneInfo, tr: Tr, today: date) -> list[Block]:
    """The dossier's blocks in order."""
    p, lang = d.project, tr.lang
    issuer = tr("Coordination Group Secretariat")
    out: list[Block] = [Title(title(d, tr))]
    n = 0

    def heading(text: str) -> None:
        nonlocal n
        n += 1
        out.append(Heading(1, heading_number(1, n, lang), text))

    def local(moment_day: date) -> str:
        return _day(moment_day, tr)

    heading(tr("The project"))
    out += [
        Labelled(tr("Code"), p.code),
        Labelled(tr("Name"), p.name),
        Labelled(tr("Category"), category_name(tr, p.category)),
        Labelled(tr("Lead institution"), p.lead),
        Labelled(tr("Batch"), p.batch or "—"),
        Labelled(tr("Region"), p.region or "—"),
        Labelled(tr("Stage"), stage_name(tr, p.stage)),
        Labelled(tr("Supervision tier"), tier_name(tr, p.tier)),
        Labelled(
            tr("Following units"),
            tr.join(d.unit_names.get(u.upper(), u) for u in d.followers) or "—",
        ),
    ]
    if d.changes:
        heading(tr("Plan changes"))
        for request in d.changes:
            line = tr(
                "{date}: {what} (reason given: {why}; {state})",
                date=local(request.at.astimezone(tz).date()),
                what=request.what,
                why=request.why,
                state=tr(CHANGE_STATES.get(request.state, request.state)),
            )
            if request.state == "rejected" and request.reason:
                line += tr(" (reason: {reason})", reason=request.reason)
            out.append(Para(line))
    for head, lines in d.extra:
        heading(head)
        out += [Para(line) for line in lines]
    heading(tr("Stage history"))
    if not d.stages:
        out.append(Para(tr("No stage changes recorded.")))
    for change in d.stages:
        out.append(
            Para(
                tr(
                    "{date}: {stage}",
                    date=local(change.at.astimezone(tz).date()),
                    stage=stage_name(tr, change.to_stage),
                )
                + (tr(" ({note})", note=change.note) if change.note else "")
            )
        )
    heading(tr("Timeline"))
    if not d.entries:
        out.append(Para(tr("No progress logged yet.")))
    for entry in d.entries:
        labels = tag_labels(tr, entry.tags)
        out.append(
            Para(
                tr(
                    "{date} ({unit}{tags}): {text}",
                    date=local(entry.created_at.astimezone(tz).date()),
                    unit=entry.author_unit or "—",
                    # Chinese labels come in 【】, which need no space before them.
                    tags=(labels if lang == "zh" else f" {labels}") if labels else "",
                    text=entry.text,
                )
            )
        )
    heading(tr("Risks and rectifications"))
    risky = [e for e in d.entries if {"risk", "rectification"} & set(e.tags)]
    if not risky:
        out.append(Para(tr("No risks recorded.")))
    for entry in risky:
        state = (
            tr("risk open")
            if entry.id in d.open_risks
            else (tr("risk closed") if "risk" in entry.tags else tr("rectification"))
        )
        out.append(
            Para(
                tr(
                    "#{id} {date} [{state}]: {text}",
                    id=entry.id,
                    date=local(entry.created_at.astimezone(tz).date()),
                    state=state,
                    text=entry.text,
                )
            )
        )
    heading(tr("Evaluation"))
    if d.result is None and not d.evaluators:
        out.append(Para(tr("Not evaluated yet.")))
    elif d.result is None:
        out.append(
            Para(
                tr.ngettext(
                    "{n} evaluator has scored; the round is open.",
                    "{n} evaluators have scored; the round is open.",
                    d.evaluators,
                )
            )
        )
    else:
        scores = tr.join(
            tr("{dimension} {mean}", dimension=tr(name), mean=f"{mean:.1f}")
            for name, mean in zip(DIMENSION_NAMES, d.result.means, strict=True)
        )
        out.append(
            Para(
                tr(
                    "Closed {date}, {n} evaluators: {scores}",
                    date=local(d.result.closed_at.astimezone(tz).date()),
                    n=d.result.count,
                    scores=scores,
                )
            )
        )
    heading(tr("Decisions and action items"))
    if not d.minuted:
        out.append(Para(tr("No decisions or action items about this project.")))
    for m in d.minuted:
        when = local(m.at.astimezone(tz).date())
        if m.kind == "decision":
            out.append(Para(tr("{date} decision: {text}", date=when, text=m.text)))
        else:
            out.append(
                Para(
                    tr(
                        "{date} action A{id} (due {due}, {state}): {text}",
                        date=when,
                        id=m.id,
                        due=m.due,
                        state=tr("done") if m.state == "done" else tr("open"),
                        text=m.text,
                    )
                )
            )
    heading(tr("Files"))
    if not d.files:
        out.append(Para(tr("No files kept.")))
    for i, f in enumerate(d.files, start=1):
        out.append(
            Para(
                f"{i}. "
                + tr(
                    "{name} ({size} KB, {date})",
                    name=f.name or f.media,
                    size=max(1, round(f.size / 1024)),
                    date=local(f.at.astimezone(tz).date()),
                )
            )
        )
    out.append(Imprint([], issuer, tr("Issued {date}", date=official_date(today, lang))))
    return out


def dossier_md(d: Dossier, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The dossier as Markdown (UTF-8)."""
    return render_markdown(blocks(d, tz, tr, today), tr.lang)


def dossier_docx(d: Dossier, tz: ZoneInfo, tr: Tr, today: date) -> bytes:
    """The dossier as a Word document in the official layout."""
    return render_docx(blocks(d, tz, tr, today), tr.lang)
