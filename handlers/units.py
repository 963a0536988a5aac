"""Member units: /unit_add and /units."""

from __future__ import annotations

import re

from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError
from bot.i18n import N_
from bot.render.text import esc
from storage import people

UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")


def unit_add(call: Call) -> Reply:
    """Register a member unit."""
    code, name = call.fields(2, 2, free={1})
    if not UNIT_CODE.match(code) or len(name) > 200:
        raise UsageError(call.tr("A unit code is 1–32 letters, digits, '-' or '_'."))
    if not people.add_unit(call.db, code, name, call.now):
        raise Refusal(call.tr("Unit {code} already exists.", code=esc(code.upper())))
    call.audit_detail["unit"] = code.upper()
    return Reply(
        text=call.tr("Unit {code} ({name}) added.", code=esc(code.upper()), name=esc(name))
    )


def units(call: Call) -> Reply:
    """List member units with their people count."""
    _ = call.tr
    all_units = people.list_units(call.db)
    if not all_units:
        return Reply(text=_("No units yet. An admin adds one with /unit_add."))
    counts: dict[str, int] = {}
    for person in people.list_people(call.db):
        if person.unit_code:
            counts[person.unit_code] = counts.get(person.unit_code, 0) + 1
    lines = [_("<b>Member units</b>")]
    lines += [
        _.ngettext(
            "{code} — {name} ({n} person)",
            "{code} — {name} ({n} people)",
            counts.get(u.code, 0),
            code=esc(u.code),
            name=esc(u.name),
        )
        for u in all_units
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
