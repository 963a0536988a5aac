"""The integrity record (诚信档案): /record and /record_add (admins)."""

from __future__ import annotations

from bot.i18n import N_
from bot.render.integrity import record_text
from bot.render.text import esc
from bot.services import integrity as service
from bot.telegram.commands import Call, CommandSpec, Reply, UsageError


def record(call: Call) -> Reply:
    """A lead institution's integrity record, by a project code or the institution's name."""
    if not call.args.strip():
        raise UsageError()
    found = service.record(call.services, call.args, call.now)
    return Reply(text=record_text(found, call.tr, call.services.config.tz))


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
        N_("/record <CODE or lead institution>"),
        N_("/record BJ-01"),
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
