"""Member units: /unit_add and /units."""

from __future__ import annotations

from bot.i18n import N_
from bot.render.text import esc
from bot.services import people
from bot.services.people import UNIT_CODE, UNIT_NAME_LIMIT
from bot.telegram.commands import Call, CommandSpec, Field, Reply, UsageError


def unit_add(call: Call) -> Reply:
    """Register a member unit."""
    code, name = call.fields(2, 2, free={1})
    if not UNIT_CODE.match(code) or len(name) > UNIT_NAME_LIMIT:
        raise UsageError(call.tr("A unit code is 1–32 letters, digits, '-' or '_'."))
    done = people.add_unit(call.services, code, name, call.now)
    call.audit_detail.update(done.audit)
    return Reply(
        text=call.tr("Unit {code} ({name}) added.", code=esc(code.upper()), name=esc(name))
    )


def units(call: Call) -> Reply:
    """List member units with their people count."""
    _ = call.tr
    counted = people.units(call.services)
    if not counted:
        return Reply(text=_("No units yet. An admin adds one with /unit_add."))
    lines = [_("<b>Member units</b>")]
    lines += [
        _.ngettext(
            "{code} — {name} ({n} person)",
            "{code} — {name} ({n} people)",
            count,
            code=esc(unit.code),
            name=esc(unit.name),
        )
        for unit, count in counted
    ]
    return Reply(text="\n".join(lines))


COMMANDS = [
    CommandSpec(
        "unit_add",
        unit_add,
        N_("register a member unit"),
        N_("/unit_add <CODE> | <name>"),
        N_("/unit_add TECH | Technology Supervision Bureau"),
        role="admin",
        writes=True,
        fields=(Field(N_("Unit code (letters, digits, -)?")), Field(N_("Unit name?"))),
    ),
    CommandSpec(
        "units", units, N_("list member units"), N_("/units"), N_("/units"), role="member"
    ),
]
