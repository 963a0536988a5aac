"""Text for /files, /search and /audit (HTML, every user string escaped)."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_datetime, show_day
from bot.render.text import clip, esc
from storage.attachments import Attachment, Files, Sent
from storage.audit import Trail
from storage.search_index import Results

KIND_NAMES = {
    "project": N_("project"),
    "progress": N_("progress"),
    "decision": N_("decision"),
    "action": N_("action item"),
    "meeting": N_("meeting"),
    "change": N_("plan change"),
    "agenda": N_("agenda item"),
    "minutes": N_("minutes"),
}
# Where a hit is read in full, by kind: the command and its argument (the hit's ref).
OPEN_WITH = {"minutes": "/minutes {ref}", "meeting": "/meeting {ref}", "project": "/project {ref}"}
OUTCOME_NAMES = {
    "ok": N_("done"),
    "refused": N_("refused"),
    "refused: role": N_("refused (role)"),
    "error": N_("failed"),
}
SNIPPET = 160


def file_label(f: Attachment, tr: Tr) -> str:
    """A kept file in one line: its name (or 'photo'), size and day."""
    name = f.name or tr("photo")
    kb = max(1, round(f.size / 1024))
    return tr("{name} ({size} KB)", name=esc(name), size=kb)


def files_text(files: Files, tr: Tr) -> str:
    """The reply to /files: how many files, each named; the files follow."""
    if not files.files:
        return tr("No files kept for {code}.", code=esc(files.code))
    lines = [
        tr.ngettext(
            "<b>{code}</b>: {n} file, sent below.",
            "<b>{code}</b>: {n} files, sent below.",
            len(files.files),
            code=esc(files.code),
        )
    ]
    lines += [f"{i}. {file_label(f, tr)}" for i, f in enumerate(files.files, start=1)]
    return "\n".join(lines)


def file_caption(code: str, f: Attachment, tz: ZoneInfo, tr: Tr) -> str:
    """The caption of a file sent back: project, record and day."""
    return tr(
        "{code} · {kind} #{ref} · {day}",
        code=esc(code),
        kind=tr(KIND_NAMES.get(f.kind, f.kind)) if f.kind in KIND_NAMES else esc(f.kind),
        ref=esc(f.ref),
        day=show_day(f.at.astimezone(tz).date(), tr),
    )


# Chinese sets no space beside full-width punctuation; an indexed document's parts (the
# minutes' items, decisions, ...) are joined with spaces, which go next to it.
_BESIDE_FULL_WIDTH = re.compile(r"\s+(?=[，。；：？！、（）“”])|(?<=[，。；：？！、（）“”])\s+")


def _snippet(text: str, words: list[str]) -> str:
    flat = _BESIDE_FULL_WIDTH.sub("", " ".join(text.split()))
    at = min((flat.lower().find(w.lower()) for w in words if w.lower() in flat.lower()), default=0)
    start = max(0, at - 40)
    cut = ("…" if start else "") + flat[start:]
    return clip(cut, SNIPPET)


def search_text(r: Results, query: str, tr: Tr) -> str:
    """One page of search results, with how to get the next."""
    if not r.hits:
        return tr("Nothing found for {query}.", query=esc(query))
    lines = [
        tr.ngettext(
            "<b>{n} result</b> for {query} (page {page} of {pages}):",
            "<b>{n} results</b> for {query} (page {page} of {pages}):",
            r.total,
            query=esc(query),
            page=r.page,
            pages=r.pages,
        )
    ]
    for hit in r.hits:
        head = tr(KIND_NAMES.get(hit.kind, hit.kind))
        where = f" {esc(hit.project)}" if hit.project and hit.kind != "project" else ""
        text = _snippet(f"{hit.title} {hit.body}".strip(), r.words)
        line = tr(
            "• {kind} #{ref}{where}: {text}",
            kind=head,
            ref=esc(hit.ref),
            where=where,
            text=esc(text),
        )
        if hit.kind in OPEN_WITH:
            line += " → " + OPEN_WITH[hit.kind].format(ref=esc(hit.ref))
        lines.append(line)
    if r.page < r.pages:
        lines.append(
            tr("More: <code>/search {query} | {page}</code>", query=esc(query), page=r.page + 1)
        )
    return "\n".join(lines)


def audit_text(t: Trail, asked: str, tz: ZoneInfo, tr: Tr) -> str:
    """One page of the audit trail, newest first."""
    if not t.entries:
        return tr("No audit entries.")
    lines = [
        tr.ngettext(
            "<b>Audit trail</b>: {n} entry (page {page} of {pages}), newest first:",
            "<b>Audit trail</b>: {n} entries (page {page} of {pages}), newest first:",
            t.total,
            page=t.page,
            pages=t.pages,
        )
    ]
    for e in t.entries:
        who = esc(t.names.get(e.user_id, "—")) if e.user_id is not None else "—"
        head = e.outcome if e.outcome in OUTCOME_NAMES else e.outcome.split(":")[0]
        outcome = tr(OUTCOME_NAMES[head]) if head in OUTCOME_NAMES else esc(e.outcome)
        line = f"{show_datetime(e.at, tz, tr)} · {who} · /{esc(e.action)} · {outcome}"
        typed = str(e.detail.get("args") or "").strip()
        if typed:
            # What was typed, as typed; the full detail (old values, ids) is in the CSV export.
            line += "\n    " + tr("typed: {text}", text=esc(clip(" ".join(typed.split()), 200)))
        lines.append(line)
    if t.page < t.pages:
        lines.append(
            tr(
                "More: <code>/audit {asked}| {page}</code>",
                asked=esc(asked + " " if asked else ""),
                page=t.page + 1,
            )
        )
    return "\n".join(lines)


def kept_line(sent: Sent, tr: Tr) -> str:
    """The line a confirmation adds when the command came with a file."""
    return tr("File kept: {name}", name=esc(sent.name or tr("photo")))
