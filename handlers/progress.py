"""Progress logging: /progress, /progress_edit, /progress_undo; #major entries are disclosed."""

from __future__ import annotations

import re

from bot.domain.normalize import split_head
from bot.i18n import N_
from bot.render.project import TAG_NAMES
from bot.render.text import clip, esc
from bot.services import progress as service
from bot.services.progress import Changed
from bot.services.refused import Refused
from bot.telegram.commands import (
    Button,
    Call,
    CommandSpec,
    Field,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)
from handlers._args import keep_attachments

ECHO_LIMIT = 3000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Entry text without control characters; a usage error when nothing is left."""
    text = _CONTROL.sub("", text).strip()
    if not text:
        raise UsageError()
    return text


def entry_number(text: str) -> int:
    """An entry number as typed (12 or #12); NoSuchEntry for anything else."""
    number = parse_number(text.lstrip("#"))
    if number is None:
        raise service.NoSuchEntry(n=esc(text[:20]))
    return number


def text_back(call: Call, command: str, refused: Refused, edit: bool = False) -> Refusal:
    """The refusal with the user's whole command given back, so nothing typed is lost.

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
    return Refusal("\n".join([refused.text(call.tr), note, echo]), refused.outcome)


CHANGE_FILE_ACTION = "chg_file"  # handled by handlers/changes.py (no handler imports another)


def _reply(call: Call, done: Changed, text: str) -> Reply:
    """The confirmation, carrying the notice when this chat would also receive it."""
    call.audit_detail.update(done.audit)
    if done.notice_here is not None:
        text += "\n\n" + done.notice_here(call.tr)
    return Reply(text=text)


def log_progress(call: Call) -> Reply:
    """Log a progress entry on a project the caller's unit follows."""
    code, rest = split_head(call.args)
    if not code or not rest.strip():
        raise UsageError()
    text = clean_text(rest)
    try:
        done = service.log(call.services, code, text, call.user, call.now, call.chat.chat_id)
    except Refused as exc:
        raise text_back(call, "progress", exc) from None
    tags = call.tr.join(call.tr(TAG_NAMES[t]) for t in done.entry.tags) or "—"
    text = call.tr(
        "Logged #{n} on {code} (tags: {tags}). Correct it with /progress_edit {n} or "
        "withdraw it with /progress_undo {n} within 30 minutes.",
        n=done.entry.id,
        code=esc(done.project.code),
        tags=tags,
    )
    text += keep_attachments(call, "progress", str(done.entry.id), done.project.code)
    reply = _reply(call, done, text)
    if "change" in done.entry.tags:  # a #change entry offers the plan-change review
        label = call.tr("File a plan-change request")
        reply.buttons = [[Button(label, CHANGE_FILE_ACTION, done.project.code)]]
    return reply


def progress_edit(call: Call) -> Reply:
    """Correct an entry; the previous text is kept as a revision."""
    number, rest = split_head(call.args)
    if not number or not rest.strip():
        raise UsageError()
    entry_id, text = entry_number(number), clean_text(rest)
    try:
        done = service.edit(call.services, entry_id, text, call.user, call.now, call.chat.chat_id)
    except service.NOT_EDITABLE:
        raise  # nothing typed is worth giving back: the entry itself cannot be changed
    except Refused as exc:
        raise text_back(call, "progress_edit", exc, edit=True) from None
    return _reply(call, done, call.tr("Entry #{n} corrected.", n=done.entry.id))


def progress_undo(call: Call) -> Reply:
    """Withdraw an entry; it is kept, but no longer counts."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    entry_id = entry_number(words[0])
    done = service.undo(call.services, entry_id, call.user, call.now, call.chat.chat_id)
    return _reply(call, done, call.tr("Entry #{n} withdrawn.", n=done.entry.id))


COMMANDS = [
    CommandSpec(
        "progress",
        log_progress,
        N_("log progress on a project"),
        N_("/progress <CODE> <text with #milestone #risk #rectification #change #major>"),
        N_("/progress BJ-01 #milestone first live transactions settled"),
        role="staff",
        writes=True,
        files=True,
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
