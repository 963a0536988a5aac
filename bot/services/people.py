"""People and member units: units, roles, the evaluator flag, what /whoami shows, languages.

Every function runs inside the caller's transaction; results that change something carry
the audit detail (`audit`) for the handler to record. Refusals are `Refused` subclasses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from bot.render.text import esc
from bot.services.refused import Refused
from storage import chats, evaluations, people
from storage.people import Person, Role, Unit

if TYPE_CHECKING:
    from bot.services import Services

UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
UNIT_NAME_LIMIT = 200


class UnitExists(Refused):
    """A unit code already registered."""

    message = N_("Unit {code} already exists.")


class UnknownUnit(Refused):
    """A unit code nobody registered."""

    message = N_("Unknown unit {code}. See /units.")


class UnknownUsername(Refused):
    """An @username the bot has never seen."""

    message = N_("I don't know {who} yet: they must send me a message first, or use their id.")


class OwnAdminRole(Refused):
    """An admin taking their own admin role away."""

    message = N_("You cannot remove your own admin role.")


@dataclass(frozen=True)
class UnitAdded:
    """A registered unit."""

    unit: Unit
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RoleSet:
    """Someone's new role and unit."""

    user_id: int
    name: str
    role: Role
    unit_code: str | None
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluatorSet:
    """Someone added to or removed from the evaluation group."""

    name: str
    on: bool
    changed: bool
    audit: dict[str, Any] = field(default_factory=dict)


def add_unit(svc: Services, code: str, name: str, now: datetime) -> UnitAdded:
    """Register a member unit (the caller checked the code's form)."""
    if not people.add_unit(svc.db, code, name, now):
        raise UnitExists(code=esc(code.upper()))
    unit = people.get_unit(svc.db, code)
    assert unit is not None
    return UnitAdded(unit, {"unit": unit.code})


def units(svc: Services) -> list[tuple[Unit, int]]:
    """Every unit with how many people belong to it."""
    counts: dict[str, int] = {}
    for person in people.list_people(svc.db):
        if person.unit_code:
            counts[person.unit_code] = counts.get(person.unit_code, 0) + 1
    return [(unit, counts.get(unit.code, 0)) for unit in people.list_units(svc.db)]


def unit_names(svc: Services) -> dict[str, str]:
    """{CODE: name} of every registered unit (codes upper-case)."""
    return {u.code.upper(): u.name for u in people.list_units(svc.db)}


def find_unit(svc: Services, code: str) -> Unit:
    """A unit by code (any case), or UnknownUnit."""
    unit = people.get_unit(svc.db, code)
    if unit is None:
        raise UnknownUnit(code=esc(code[:40]))
    return unit


def find_user(svc: Services, who: int | str) -> int:
    """A user id from an id, or from an @username the bot has seen (else UnknownUsername)."""
    if isinstance(who, int):
        return who
    person = people.find_by_username(svc.db, who)
    if person is None:
        raise UnknownUsername(who=esc(who))
    return person.user_id


def display_name(svc: Services, user_id: int) -> str:
    """Someone's name as the bot knows it, or their id."""
    person = people.get_person(svc.db, user_id)
    return person.display_name if person else str(user_id)


def set_role(
    svc: Services, user_id: int, role: Role, unit_code: str | None, by_user: int, now: datetime
) -> RoleSet:
    """Give someone a role, in the named unit or (none named) the unit they had."""
    if unit_code:
        unit_code = find_unit(svc, unit_code).code
    else:
        current = people.get_person(svc.db, user_id)
        unit_code = current.unit_code if current else None
    if user_id == by_user and role != "admin":
        raise OwnAdminRole()
    people.set_role(svc.db, user_id, role, unit_code, now)
    audit = {"target": user_id, "role": role, "unit": unit_code}
    return RoleSet(user_id, display_name(svc, user_id), role, unit_code, audit)


def members(svc: Services) -> list[Person]:
    """Everyone with a role, by unit."""
    return people.list_people(svc.db)


def set_evaluator(svc: Services, user_id: int, on: bool, now: datetime) -> EvaluatorSet:
    """Add someone to, or remove them from, the evaluation group."""
    changed = evaluations.set_evaluator(svc.db, user_id, on, now)
    audit = {"target": user_id, "evaluator": on}
    return EvaluatorSet(display_name(svc, user_id), on, changed, audit)


def set_language(svc: Services, chat_id: int, language: str) -> None:
    """The language a chat's replies and notices are written in."""
    chats.set_language(svc.db, chat_id, language)
