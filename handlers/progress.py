"""Progress logging: /progress, /progress_edit, /progress_undo; #major entries are disclosed."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError, parse_number
from bot.fanout import to_subscribers
from bot.i18n import N_
from bot.normalize import split_head
from bot.render.project import TAG_NAMES, disclosure_entry, one_line
from bot.render.text import clip, esc
from handlers.projects import find_project
from storage import progress, projects
from storage.progress import Entry
from storage.projects import Project

TEXT_LIMIT = 2000
ECHO_LIMIT = 3000
EDIT_WINDOW = timedelta(minutes=30)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(call: Call, text: str) -> str:
    """Entry text without control characters; refuse empty or over-long text."""
    text = _CONTROL.sub("", text).strip()
    if not text:
        raise UsageError()
    if len(text) > TEXT_LIMIT:
        raise Refusal(
            call.tr(
                "Too long: an entry is at most {n} characters (yours has {m}).",
                n=TEXT_LIMIT,
                m=len(text),
            )
        )
    return text


def check_closes(call: Call, project: Project, text: str, own_id: int | None = None) -> list[int]:
    """The open risks of this project that a rectification closes; refuse anything else."""
    numbers = progress.parse_closes(text)
    if numbers and "rectification" not in progress.parse_tags(text):
        raise Refusal(call.tr("To close a risk, tag the entry #rectification (#整改)."))
    for n in numbers:
        risk = progress.get_entry(call.db, n)
        ok = risk is not None and risk.project_code.upper() == project.code and n != own_id
        if not ok or not progress.is_open_risk(call.db, n):
            lines = [call.tr("#{n} is not an open risk on {code}.", n=n, code=esc(project.code))]
            lines += open_risk_lines(call, project)
            raise Refusal("\n".join(lines))
    return numbers


def open_risk_lines(call: Call, project: Project) -> list[str]:
    """The project's open risks with their numbers (what `关闭 #n` may name), or none."""
    risks = progress.open_risks(call.db, project.code)
    if not risks:
        return [call.tr("{code} has no open risks.", code=esc(project.code))]
    lines = [call.tr("Open risks on {code}:", code=esc(project.code))]
    lines += [f"#{r.id} {esc(one_line(r.text, 120))}" for r in risks[:20]]
    return lines


def text_back(call: Call, command: str, refusal: Refusal, edit: bool = False) -> Refusal:
    """The same refusal with the user's whole command given back, so nothing typed is lost.

    One line goes in <code> (tap to copy); several lines stay plain, since a reply is split
    between lines and a tag must not span them. Telegram caps a message at 4096
    characters, so the echo is clipped well below that.
    """
    typed = clip(f"/{command} {call.args.strip()}", ECHO_LIMIT)
    echo = esc(typed) if "\n" in typed else f"<code>{esc(typed)}</code>"
    note = (
        call.tr("Nothing was changed. Your text, to correct and send again:")
        if edit
        else call.tr("Nothing was logged. Your text, to correct and send again:")
    )
    return Refusal("\n".join([refusal.message, note, echo]), refusal.outcome)


def _disclose(call: Call, project: Project, entry: Entry) -> None:
    tz = call.services.config.tz
    to_subscribers(
        call.services,
        "disclosures",
        f"disclose:entry:{entry.id}",
        "disclosure",
        lambda tr: disclosure_entry(project, entry, tr, tz),
        call.now,
    )


def log_progress(call: Call) -> Reply:
    """Log a progress entry on a project the caller's unit follows."""
    code, rest = split_head(call.args)
    if not code or not rest.strip():
        raise UsageError()
    try:
        project = find_project(call, code)
        if call.user.role != "admin" and not projects.is_follower(
            call.db, project.code, call.user.unit_code
        ):
            raise Refusal(
                call.tr(
                    "Only staff of a unit following {code}, or an admin, may log on it.",
                    code=esc(project.code),
                )
            )
        text = clean_text(call, rest)
        closes = check_closes(call, project, text)
    except Refusal as exc:
        raise text_back(call, "progress", exc) from None
    entry = progress.add_entry(
        call.db,
        project_code=project.code,
        author_id=call.user.user_id,
        author_unit=call.user.unit_code,
        text=text,
        now=call.now,
    )
    progress.close_risks(call.db, entry.id, closes)
    if "major" in entry.tags:
        _disclose(call, project, entry)
    call.audit_detail.update(entry=entry.id, project=project.code, tags=list(entry.tags))
    tags = call.tr.join(call.tr(TAG_NAMES[t]) for t in entry.tags) or "—"
    return Reply(
        text=call.tr(
            "Logged #{n} on {code} (tags: {tags}). Correct it with /progress_edit {n} or "
            "withdraw it with /progress_undo {n} within 30 minutes.",
            n=entry.id,
            code=esc(project.code),
            tags=tags,
        )
    )


def editable_entry(call: Call, number: str) -> Entry:
    """An entry the caller may still change: the author within 30 minutes, or an admin."""
    ident = parse_number(number.lstrip("#"))
    entry = progress.get_entry(call.db, ident) if ident is not None else None
    if entry is None or entry.withdrawn:
        raise Refusal(call.tr("There is no entry #{n}.", n=esc(number[:20])))
    if call.user.role == "admin":
        return entry
    if entry.author_id != call.user.user_id:
        raise Refusal(call.tr("Only its author or an admin may change entry #{n}.", n=entry.id))
    if call.now - entry.created_at > EDIT_WINDOW:
        raise Refusal(
            call.tr("Entry #{n} is older than 30 minutes; ask an admin to change it.", n=entry.id)
        )
    return entry


def progress_edit(call: Call) -> Reply:
    """Correct an entry; the previous text is kept as a revision."""
    number, rest = split_head(call.args)
    if not number or not rest.strip():
        raise UsageError()
    entry = editable_entry(call, number)
    project = find_project(call, entry.project_code)
    try:
        text = clean_text(call, rest)
        closes = check_closes(call, project, text, own_id=entry.id)
    except Refusal as exc:
        raise text_back(call, "progress_edit", exc, edit=True) from None
    updated = progress.edit_entry(call.db, entry, text, call.user.user_id, call.now)
    progress.close_risks(call.db, entry.id, closes)
    if "major" in updated.tags:
        _disclose(call, project, updated)
    call.audit_detail.update(entry=entry.id, old_text=entry.text[:2000])
    return Reply(text=call.tr("Entry #{n} corrected.", n=entry.id))


def progress_undo(call: Call) -> Reply:
    """Withdraw an entry; it is kept, but no longer counts."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    entry = editable_entry(call, words[0])
    progress.withdraw_entry(call.db, entry, call.user.user_id, call.now)
    if "major" in entry.tags:
        project = find_project(call, entry.project_code)
        to_subscribers(
            call.services,
            "disclosures",
            f"disclose:withdrawn:{entry.id}",
            "disclosure",
            lambda tr: tr(
                "<b>Correction</b>: the major event #{n} on {code} was withdrawn.",
                n=entry.id,
                code=esc(project.code),
            ),
            call.now,
        )
    call.audit_detail.update(entry=entry.id, old_text=entry.text[:2000])
    return Reply(text=call.tr("Entry #{n} withdrawn.", n=entry.id))


COMMANDS = [
    CommandSpec(
        "progress",
        log_progress,
        N_("log progress on a project"),
        N_("/progress <CODE> <text with #milestone #risk #rectification #change #major>"),
        N_("/progress BJ-01 #milestone first live transactions settled"),
        role="staff",
        writes=True,
        fields=(
            Field(N_("Project code?")),
            Field(N_("What happened? Tags: #milestone #risk #rectification #change #major")),
        ),
        separator=" ",
    ),
    CommandSpec(
        "progress_edit",
        progress_edit,
        N_("correct a progress entry"),
        N_("/progress_edit <n> <text>"),
        N_("/progress_edit 12 #milestone go-live on 3 March"),
        role="staff",
        writes=True,
    ),
    CommandSpec(
        "progress_undo",
        progress_undo,
        N_("withdraw a progress entry"),
        N_("/progress_undo <n>"),
        N_("/progress_undo 12"),
        role="staff",
        writes=True,
    ),
]
