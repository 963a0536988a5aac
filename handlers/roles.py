"""Roles: /role and /members."""

from __future__ import annotations

from typing import cast

from bot.domain.keywords import role_word
from bot.i18n import N_
from bot.render.text import esc
from bot.render.units import unit_label
from bot.services import people
from bot.telegram.commands import (
    Call,
    CommandSpec,
    Field,
    Reply,
    UsageError,
    parse_person,
    role_name,
)
from storage.people import Role


def role(call: Call) -> Reply:
    """Give someone a role (and unit), by @username, id, or as a reply to their message."""
    words = call.words()
    if call.reply_to_user_id and words and role_word(words[0]):
        words = [str(call.reply_to_user_id), *words]
    if len(words) not in (2, 3) or role_word(words[1]) is None:
        raise UsageError()
    who = parse_person(words[0])
    if who is None:
        raise UsageError()
    new_role = cast(Role, role_word(words[1]))
    unit_code = words[2] if len(words) == 3 else None
    if new_role == "staff" and not unit_code:
        people.find_user(call.services, who)  # an unknown @username is named first
        raise UsageError(call.tr("Staff belong to a unit: give its code."))
    user_id = people.find_user(call.services, who)
    done = people.set_role(
        call.services, user_id, new_role, unit_code, call.user.user_id, call.now
    )
    call.audit_detail.update(done.audit)
    name, role_text = esc(done.name), role_name(call.tr, done.role)
    if done.unit_code:
        unit_text = unit_label(call.tr, done.unit_code, people.unit_names(call.services))
        text = call.tr(
            "{name} is now {role} of {unit}.", name=name, role=role_text, unit=unit_text
        )
    else:
        text = call.tr("{name} is now {role}.", name=name, role=role_text)
    return Reply(text=text)


def members(call: Call) -> Reply:
    """List people with a role, by unit."""
    _ = call.tr
    everyone = people.members(call.services)
    if not everyone:
        return Reply(text=_("Nobody has a role yet."))
    names = people.unit_names(call.services)
    lines = [_("<b>Members</b>")]
    for person in everyone:
        handle = f" @{esc(person.username)}" if person.username else ""
        unit = unit_label(_, person.unit_code, names) if person.unit_code else "—"
        lines.append(
            f"{unit} · {esc(person.display_name)}{handle} · "
            f"{role_name(_, person.role)} · {person.user_id}"
        )
    return Reply(text="\n".join(lines))


COMMANDS = [
    CommandSpec(
        "role",
        role,
        N_("give someone a role"),
        N_("/role <@username|user id> <admin|staff|member|none> [UNIT-CODE]"),
        N_("/role @wang staff TECH"),
        role="admin",
        writes=True,
        fields=(
            Field(N_("Whose role (@username or numeric id)?")),
            Field(N_("Which role: admin, staff, member or none?")),
            Field(N_("Unit code?"), optional=True),
        ),
        separator=" ",
    ),
    CommandSpec(
        "members", members, N_("list people and their roles"), N_("/members"), N_("/members")
    ),
]
