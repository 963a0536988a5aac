"""Pure rendering of projects: names of stages and categories, cards, lists, entries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_date, show_datetime
from bot.render.text import esc
from storage.evaluations import Result, ScoreSet
from storage.progress import Entry
from storage.project_stages import StageChange
from storage.projects import Project

STAGE_NAMES = {
    "solicitation": N_("solicitation"),
    "selection": N_("selection"),
    "evaluation": N_("professional evaluation"),
    "running": N_("running under supervision"),
    "exited": N_("exited"),
    "terminated": N_("terminated"),
}
CATEGORY_NAMES = {
    "business": N_("business innovation"),
    "public": N_("public service"),
    "tech": N_("technology innovation"),
    "enablement": N_("technology enablement"),
}
TIER_NAMES = {
    "key": N_("focus"),
    "regular": N_("regular"),
    "watch": N_("watch"),
}
EXIT_WAYS = {
    "completed": N_("completed"),
    "withdrawn": N_("withdrawn"),
    "terminated": N_("terminated for cause"),
}
SEVERITY_NAMES = {
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
}
TAG_NAMES = {
    "milestone": N_("milestone"),
    "risk": N_("risk"),
    "rectification": N_("rectification"),
    "change": N_("plan change"),
    "major": N_("major"),
}
DIMENSION_NAMES = (
    N_("innovation value"),
    N_("regulatory insight"),
    N_("risk control"),
    N_("investor protection"),
)
ENTRY_CLIP = 600


def stage_name(tr: Tr, stage: str) -> str:
    """A stage's name in the chat's language."""
    return tr(STAGE_NAMES.get(stage, stage))


def tier_name(tr: Tr, tier: str) -> str:
    """A supervision tier's name in the chat's language ("—" when none is set)."""
    return tr(TIER_NAMES[tier]) if tier in TIER_NAMES else "—"


def risk_text(tr: Tr, risk: Entry, limit: int = 200) -> str:
    """An open risk's text, escaped and clipped, led by its severity: `[high] …`, `【高】…`."""
    severity = SEVERITY_NAMES.get(risk.severity or "medium", N_("medium"))
    return tr("[{severity}] {text}", severity=tr(severity), text=esc(one_line(risk.text, limit)))


def category_name(tr: Tr, category: str) -> str:
    """A category's name in the chat's language."""
    return tr(CATEGORY_NAMES.get(category, category))


def one_line(text: str, limit: int = ENTRY_CLIP) -> str:
    """User text flattened to one line and clipped, so no tag we wrap can span lines."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def tag_labels(tr: Tr, tags: tuple[str, ...]) -> str:
    """Tags as bracketed names, e.g. '[milestone] [risk]' / '【里程碑】【风险】'."""
    sep = "" if tr.lang == "zh" else " "
    return sep.join(tr("[{label}]", label=tr(TAG_NAMES[t])) for t in tags if t in TAG_NAMES)


def entry_line(
    entry: Entry, tr: Tr, when: str, with_project: bool = False, tags: str | None = None
) -> str:
    """One entry as a line: number, date, unit, tags and text (`tags` if already labelled)."""
    labels = tag_labels(tr, entry.tags) if tags is None else tags
    project = f"{safe_text(entry.project_code)} · " if with_project else ""
    head = f"#{entry.id} {project}{when} {safe_text(entry.author_unit or '—')}"
    return tr(
        "{head}: {text}", head=f"{head} {labels}" if labels else head, text=safe_text(entry.text)
    )


@lru_cache(maxsize=32768)
def safe_text(text: str) -> str:
    """An entry's text flattened, clipped and escaped (cached: each language renders it)."""
    return esc(one_line(text))


def safe_texts(texts: Sequence[str], limit: int = ENTRY_CLIP) -> list[str]:
    """esc(one_line(text, limit)) of each text, done over all of them joined at once."""
    # A bulletin has ten thousand: a few passes in C instead of several calls per text.
    # A printable text has no whitespace but plain spaces and nothing esc() drops (both are
    # "Other" or "Separator" characters, NUL too); the few others are done one by one.
    odd: dict[int, str] = {}
    if not all(map(str.isprintable, texts)):
        odd = {
            i: safe_text(t) if limit == ENTRY_CLIP else esc(one_line(t, limit))
            for i, t in enumerate(texts)
            if not t.isprintable()
        }
        texts = ["" if i in odd else t for i, t in enumerate(texts)]
    joined = "\x00".join(texts)
    ends = joined[:1] + joined[-1:]
    if "  " in joined or "\x00 " in joined or " \x00" in joined or " " in ends:
        while "  " in joined:
            joined = joined.replace("  ", " ")
        joined = joined.replace("\x00 ", "\x00").replace(" \x00", "\x00").strip(" ")
    if texts and max(map(len, texts)) > limit:
        flat = [t if len(t) <= limit else t[: limit - 1] + "…" for t in joined.split("\x00")]
        joined = "\x00".join(flat)
    joined = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = joined.split("\x00") if texts else []
    for i, text in odd.items():
        out[i] = text
    return out


def project_card(
    project: Project,
    followers: str,
    entries: list[Entry],
    risks: list[Entry],
    result: Result | None,
    tr: Tr,
    tz: ZoneInfo,
    now: datetime,
    files: list[str] | None = None,
) -> str:
    """The /project card (`followers`: the following units, already rendered)."""
    _ = tr
    lines = [
        f"<b>{esc(project.code)}</b> — {esc(project.name)}",
        _("Category: {category}", category=category_name(tr, project.category)),
        _("Stage: {stage}", stage=stage_name(tr, project.stage)),
        _("Lead institution: {lead}", lead=esc(project.lead)),
    ]
    if project.tier:
        lines.append(_("Supervision tier: {tier}", tier=tier_name(tr, project.tier)))
    if project.batch or project.region:
        lines.append(
            _(
                "Batch: {batch} · Region: {region}",
                batch=esc(project.batch or "—"),
                region=esc(project.region or "—"),
            )
        )
    lines.append(_("Following units: {units}", units=followers or "—"))
    if result is not None:
        lines.append(evaluation_result_line(result, tr))
    lines.append("")
    lines.append(_("<b>Latest progress</b>"))
    if not entries:
        lines.append(_("No progress logged yet."))
    for entry in entries:
        lines.append(entry_line(entry, tr, show_date(entry.created_at.astimezone(tz).date(), tr)))
    if risks:
        lines.append("")
        lines.append(_("<b>Open risks</b>"))
        for risk in risks:
            age = max(0, (now - risk.created_at).days)
            shown = risk_text(tr, risk)
            lines.append(
                _.ngettext(
                    "#{risk}, open {n} day: {text}",
                    "#{risk}, open {n} days: {text}",
                    age,
                    risk=risk.id,
                    text=shown,
                )
            )
    if files:
        lines.append("")
        lines.append(
            _.ngettext(
                "Files ({n}): {names}. Send /files {code} to get them.",
                "Files ({n}): {names}. Send /files {code} to get them.",
                len(files),
                names=_.join(esc(one_line(name, 60)) for name in files[:10]),
                code=esc(project.code),
            )
        )
    return "\n".join(lines)


def project_list(groups: list[tuple[str, list[Project]]], tr: Tr) -> str:
    """The /projects list: a heading per group, one compact line per project."""
    lines = [tr("<b>Pilot projects</b>")]
    for heading, members in groups:
        lines.append("")
        lines.append(tr("{text} ({note})", text=f"<b>{esc(heading)}</b>", note=len(members)))
        for p in members:
            lines.append(
                f"{esc(p.code)} — {esc(one_line(p.name, 80))} · {stage_name(tr, p.stage)}"
                f" · {category_name(tr, p.category)}"
            )
    return "\n".join(lines)


def evaluation_result_line(result: Result, tr: Tr) -> str:
    """A closed evaluation in one line."""
    names = [tr(name) for name in DIMENSION_NAMES]
    means = " · ".join(
        f"{name} {mean:.1f}" for name, mean in zip(names, result.means, strict=True)
    )
    return tr.ngettext(
        "Evaluation ({n} evaluator): overall {overall}; {means}",
        "Evaluation ({n} evaluators): overall {overall}; {means}",
        result.count,
        overall=f"{result.overall:.2f}",
        means=means,
    )


def evaluation_view(
    project: Project, sets: list[tuple[str, ScoreSet]], result: Result | None, tr: Tr
) -> str:
    """Scores per dimension (count, mean, spread) and each evaluator's comment."""
    _ = tr
    state = _("closed") if result else _("open")
    lines = [_("<b>Evaluation of {code}</b> ({state})", code=esc(project.code), state=state)]
    if not sets:
        lines.append(_("No scores yet."))
        return "\n".join(lines)
    lines.append(_.ngettext("{n} score set", "{n} score sets", len(sets)))
    for i, name in enumerate(DIMENSION_NAMES):
        values = [s.scores[i] for _who, s in sets]
        mean = sum(values) / len(values)
        lines.append(
            _(
                "{dimension}: mean {mean}, range {low}–{high}",
                dimension=_(name),
                mean=f"{mean:.2f}",
                low=min(values),
                high=max(values),
            )
        )
    for who, s in sets:
        scores = "/".join(str(v) for v in s.scores)
        comment = f" — {esc(one_line(s.comment, 300))}" if s.comment else ""
        lines.append("• " + tr("{who}: {scores}", who=esc(who), scores=scores) + comment)
    return "\n".join(lines)


def disclosure_entry(project: Project, entry: Entry, tr: Tr, tz: ZoneInfo) -> str:
    """The notice for a #major entry."""
    return "\n".join(
        [
            tr("<b>Disclosure: major event</b>"),
            f"<b>{esc(project.code)}</b> — {esc(project.name)}",
            entry_line(entry, tr, show_datetime(entry.created_at, tz, tr)),
        ]
    )


def correction_entry(project: Project, entry: Entry, tr: Tr, tz: ZoneInfo) -> str:
    """The correction sent where a #major entry was disclosed, after it was edited."""
    return "\n".join(
        [
            tr(
                "<b>Correction</b>: the major event #{n} on {code} was corrected; it now reads:",
                n=entry.id,
                code=esc(project.code),
            ),
            entry_line(entry, tr, show_datetime(entry.created_at, tz, tr)),
        ]
    )


def correction_withdrawn(project: Project, entry: Entry, tr: Tr) -> str:
    """The correction sent where a #major entry was disclosed, after it was withdrawn."""
    return tr(
        "<b>Correction</b>: the major event #{n} on {code} was withdrawn.",
        n=entry.id,
        code=esc(project.code),
    )


def disclosure_stage(project: Project, change: StageChange, tr: Tr, tz: ZoneInfo) -> str:
    """The notice for a project that exited or was terminated."""
    title = (
        tr("<b>Disclosure: project exited</b>")
        if change.to_stage == "exited"
        else tr("<b>Disclosure: project terminated</b>")
    )
    lines = [
        title,
        f"<b>{esc(project.code)}</b> — {esc(project.name)}",
        tr("Lead institution: {lead}", lead=esc(project.lead)),
        tr("Date: {when}", when=show_datetime(change.at, tz, tr)),
    ]
    if change.exit_way:
        lines.append(tr("Way out: {way}", way=exit_way_name(tr, change.exit_way)))
        if change.note:
            lines.append(tr("Exit assessment: {text}", text=esc(one_line(change.note))))
    elif change.note:
        lines.append(tr("Note: {note}", note=esc(one_line(change.note))))
    return "\n".join(lines)


def exit_way_name(tr: Tr, way: str) -> str:
    """How a project left the pilot, in the chat's language."""
    return tr(EXIT_WAYS[way]) if way in EXIT_WAYS else esc(way)
