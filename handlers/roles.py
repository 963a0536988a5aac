"""Roles: /role and /members."""

from __future__ import annotations

from typing import cast

from bot.commands import (
    Call,
    CommandSpec,
    Field,
    Refusal,
    Reply,
    UsageError,
    parse_telegram_id,
    role_name,
)
from bot.i18n import N_
from bot.keywords import role_word
from bot.render.text import esc
from bot.render.units import unit_label, unit_names
from storage import people
from storage.people import Role


def find_person_id(call: Call, who: str) -> int:
    """A user id from '@username' or a numeric id; refuse an unknown username."""
    number = parse_telegram_id(who)
    if number is not None:
        return number
    if who.startswith("@") and len(who) > 1:
        person = people.find_by_username(call.db, who)
        if person is None:
            raise Refusal(
                call.tr(
                    "I don't know {who} yet: they must send me a message first, or use their id.",
                    who=esc(who),
                )
            )
        return person.user_id
    raise UsageError()


def role(call: Call) -> Reply:
    """Give someone a role (and unit), by @username, id, or as a reply to their message."""
    words = call.words()
    if call.reply_to_user_id and words and role_word(words[0]):
        words = [str(call.reply_to_user_id), *words]
    if len(words) not in (2, 3) or role_word(words[1]) is None:
        raise UsageError()
    user_id = find_person_id(call, words[0])
    new_role = cast(Role, role_word(words[1]))
    unit_code = words[2] if len(words) == 3 else None
    unit = None
    if unit_code:
        unit = people.get_unit(call.db, unit_code)
        if unit is None:
            raise Refusal(call.tr("Unknown unit {code}. See /units.", code=esc(unit_code)))
        unit_code = unit.code
    elif new_role == "staff":
        raise UsageError(call.tr("Staff belong to a unit: give its code."))
    else:
        current = people.get_person(call.db, user_id)
        unit_code = current.unit_code if current else None
    if user_id == call.user.user_id and new_role != "admin":
        raise Refusal(call.tr("You cannot remove your own admin role."))
    people.set_role(call.db, user_id, new_role, unit_code, call.now)
    call.audit_detail.update(target=user_id, role=new_role, unit=unit_code)
    person = people.get_person(call.db, user_id)
    name = esc(person.display_name if person else str(user_id))
    role_text = role_name(call.tr, new_role)
    if unit_code:
        unit_text = unit_label(call.tr, unit_code, unit_names(call.db))
        text = call.tr(
            "{name} is now {role} of {unit}.", name=name, role=role_text, unit=unit_text
        )
    else:
        text = call.tr("{name} is now {role}.", name=name, role=role_text)
    return Reply(text=text)


def members(call: Call) -> Reply:
    """List people with a role, by unit."""
    _ = call.tr
    everyone = people.list_people(call.db)
    if not everyone:
        return Reply(text=_("Nobody has a role yet."))
    names = unit_names(call.db)
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
