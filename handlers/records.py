"""The record read back: /files, /search, /dossier (a project's 案例档案), /audit (admins)."""

from __future__ import annotations

from bot.domain.normalize import token
from bot.i18n import N_
from bot.render import records as render
from bot.render.text import esc
from bot.services import attachments, audit, dossier, search
from bot.telegram.commands import (
    ButtonSpec,
    Call,
    CommandSpec,
    Document,
    Reply,
    Resend,
    UsageError,
    parse_number,
    parse_person,
)
from handlers._args import page_buttons, page_pressed
from storage.projects import CODE

MAX_FILES = 20  # files sent back per /files; more are listed only
AUDIT_PAGE = "audit_pg"


def _paged(call: Call) -> tuple[str, int]:
    """The arguments and the page after '|' (1 when none)."""
    text, _, page_text = call.args.partition("|")
    if not page_text.strip():
        return text.strip(), 1
    page = parse_number(page_text.strip())
    if page is None or page < 1:
        raise UsageError()
    return text.strip(), page


def files(call: Call) -> Reply:
    """Send back the files kept on a project's records."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    found = attachments.of_project(call.services, words[0])
    tz = call.services.config.tz
    return Reply(
        text=render.files_text(found, call.tr),
        resend=[
            Resend(f.media, f.file_id, render.file_caption(found.code, f, tz, call.tr))
            for f in found.files[:MAX_FILES]
        ],
    )


def search_cmd(call: Call) -> Reply:
    """Search the record for every word, a page at a time."""
    query, page = _paged(call)
    if not search.words_of(query):
        raise UsageError()
    results = search.search(call.services, query, call.user, page)
    return Reply(text=render.search_text(results, query, call.tr))


def dossier_cmd(call: Call) -> Reply:
    """A project's dossier as a Word (default) or Markdown document."""
    words = call.words()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() not in ("docx", "md")):
        raise UsageError()
    data = dossier.gather(call.services, words[0])
    tz = call.services.config.tz
    fmt = words[1].lower() if len(words) == 2 else "docx"
    # Imported here: python-docx costs every start-up ~35 ms and only exports need it.
    from bot.render.dossier import dossier_docx, dossier_md, title

    make = dossier_md if fmt == "md" else dossier_docx
    today = call.now.astimezone(tz).date()
    return Reply(
        document=Document(
            f"dossier-{data.project.code}-{today:%Y%m%d}.{fmt}",
            make(data, tz, call.tr, today),
            esc(title(data, call.tr)),
        )
    )


def audit_cmd(call: Call) -> Reply:
    """Who changed what and when, newest first: all, of a project, of a person, or N days."""
    asked, page = _paged(call)
    return _audit(call, asked, page)


def audit_page(call: Call, payload: str) -> Reply:
    """The Prev / Next buttons under /audit: that page, in place."""
    page, asked = page_pressed(payload)
    reply = _audit(call, asked, page)
    reply.edit = True
    return reply


def _audit(call: Call, asked: str, page: int) -> Reply:
    words = [token(w) for w in asked.split()]
    if len(words) > 1:
        raise UsageError()
    wanted = audit.Filter()
    if words:
        word = words[0]
        days = parse_number(word)
        person = parse_person(word)
        if days is not None and days <= 3660:
            wanted = audit.Filter(days=days)
        elif person is not None:
            wanted = audit.Filter(person=person)
        elif CODE.match(word):
            wanted = audit.Filter(code=word)
        else:
            raise UsageError()
    trail = audit.trail(call.services, wanted, call.now, page)
    return Reply(
        text=render.audit_text(trail, asked, call.services.config.tz, call.tr),
        buttons=page_buttons(call, AUDIT_PAGE, asked, trail.page, trail.pages),
    )


COMMANDS = [
    CommandSpec(
        "files",
        files,
        N_("the files kept on a project's records"),
        N_("/files <CODE>"),
        N_("/files BJ-01"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "search",
        search_cmd,
        N_("search projects, progress, decisions, actions, meetings and minutes"),
        N_("/search <words> [| page]"),
        N_("/search 数字凭证 风险"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "dossier",
        dossier_cmd,
        N_("a project's full record as a document"),
        N_("/dossier <CODE> [docx|md]"),
        N_("/dossier BJ-01 docx"),
        role="staff",
        separator=" ",
    ),
    CommandSpec(
        "audit",
        audit_cmd,
        N_("who changed what and when"),
        N_("/audit [CODE|@user|days] [| page]"),
        N_("/audit BJ-01"),
        role="admin",
        separator=" ",
    ),
]

BUTTONS = [ButtonSpec(AUDIT_PAGE, audit_page, role="admin", writes=False)]
