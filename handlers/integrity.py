"""The integrity record (诚信档案): /record and /record_add (admins)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.domain.windows import Window, WindowError, parse_window
from bot.i18n import N_
from bot.render.integrity import record_text
from bot.render.text import esc
from bot.services import integrity as service
from bot.telegram.commands import ButtonSpec, Call, CommandSpec, Reply, UsageError
from handlers._args import page_buttons, page_pressed

RECORD_PAGE = "record_pg"


def record(call: Call) -> Reply:
    """A lead institution's integrity record, by a project code or the institution's name,
    in a window (`30`, `since 2026-01-01`; 近30天, 自2026-01-01) a page at a time."""
    try:
        asked = parse_window(call.args)
    except WindowError:
        raise UsageError() from None
    if not asked.rest:
        raise UsageError()
    return _record(call, asked)


def record_page(call: Call, payload: str) -> Reply:
    """The Prev / Next buttons under /record: that page, in place."""
    page, key = page_pressed(payload)
    try:
        asked = parse_window(key)
    except WindowError:
        raise UsageError() from None
    reply = _record(call, Window(asked.rest, asked.days, asked.since, page))
    reply.edit = True
    return reply


def _record(call: Call, asked: Window) -> Reply:
    tz = call.services.config.tz
    since = None
    if asked.days is not None:
        since = call.now - timedelta(days=asked.days)
    elif asked.since is not None:
        since = datetime.combine(asked.since, time(0), tz)
    found = service.record_page(call.services, asked.rest, call.now, since, asked.page, asked.days)
    # The buttons name the institution by its first project's code (short, and the same
    # record); the window is written back the way the parser reads it.
    key = found.projects[0].code if found.projects else asked.rest
    if asked.days is not None:
        key += f" {asked.days}"
    elif asked.since is not None:
        key += f" since {asked.since.isoformat()}"
    return Reply(
        text=record_text(found, call.tr, tz),
        buttons=page_buttons(call, RECORD_PAGE, key, found.page, found.pages),
    )


def record_add(call: Call) -> Reply:
    """Record an entry on the integrity record of a project's lead institution."""
    code, text = call.fields(1, 2, free={1})
    done = service.record_entry(call.services, code, text, call.user.user_id, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr(
            "Recorded on the integrity record of {lead} (about {code}).",
            lead=esc(done.entry.lead),
            code=esc(done.entry.project_code),
        )
    )


COMMANDS = [
    CommandSpec(
        "record",
        record,
        N_("a lead institution's integrity record"),
        N_("/record <CODE or lead institution> [<days>|since YYYY-MM-DD] [page N]"),
        N_("/record BJ-01 90 page 2"),
        role="admin",
    ),
    CommandSpec(
        "record_add",
        record_add,
        N_("record an entry on a lead institution's integrity record"),
        N_("/record_add <CODE> | <text>"),
        N_("/record_add BJ-01 | exit report filed two months late"),
        role="admin",
        writes=True,
    ),
]

BUTTONS = [ButtonSpec(RECORD_PAGE, record_page, role="admin", writes=False)]
