"""The project record: edits of its fields and its supervision tier (分类分级管理).

Every edit keeps the old value in `project_history` (read back by /project_history) and
returns the audit detail; refusals are `Refused` subclasses. Runs in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from bot.render.text import esc
from bot.services.projects import NAME_LIMIT, NOTE_LIMIT, find
from bot.services.refused import Refused, TooLong
from storage import projects
from storage.projects import FieldChange, Project, parse_category

if TYPE_CHECKING:
    from bot.services import Services


class UnknownCategory(Refused):
    """An edit naming a category that does not exist."""

    message = N_("Unknown category {category}; the categories are {categories}.")


class EmptyValue(Refused):
    """An edit that would leave a required field empty."""

    message = N_("The project's name and lead institution cannot be empty.")


class Unchanged(Refused):
    """An edit that changes nothing."""

    message = N_("{code} already has that value; nothing changed.")


class ReasonRequired(Refused):
    """A tier set without saying why."""

    message = N_(
        "Say why: put the reason after a bar, e.g. /tier BJ-01 focus | high risk exposure."
    )


@dataclass(frozen=True)
class Edited:
    """A field of a project changed; `change` keeps the old value."""

    project: Project
    change: FieldChange
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """A project and every edit of its record, oldest first."""

    project: Project
    changes: list[FieldChange]


CATEGORY_WORDS = N_("business, public, tech, enablement")


def edit(svc: Services, code: str, what: str, value: str, by_user: int, now: datetime) -> Edited:
    """Change one field (`what` from storage.projects.EDITABLE); the old value is kept."""
    project = find(svc, code)
    value = value.strip()
    if what == "category":
        category = parse_category(value)
        if category is None:
            raise UnknownCategory(
                category=esc(value[:40]), categories=lambda tr: tr(CATEGORY_WORDS)
            )
        value = category
    if len(value) > NAME_LIMIT:
        raise TooLong(NAME_LIMIT)
    if not value and what in ("name", "lead"):
        raise EmptyValue()
    if str(getattr(project, what)) == value:
        raise Unchanged(code=esc(project.code))
    change = projects.set_field(svc.db, project.code, what, value, "", now, by_user)
    after = projects.get_project(svc.db, project.code)
    assert after is not None
    audit = {"project": project.code, "field": what, "old": change.old_value, "new": value}
    return Edited(after, change, audit)


def set_tier(
    svc: Services, code: str, tier: str, reason: str, by_user: int, now: datetime
) -> Edited:
    """Put a project in a supervision tier (key, regular, watch), with the reason."""
    project = find(svc, code)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    if len(reason) > NOTE_LIMIT:
        raise TooLong(NOTE_LIMIT)
    if project.tier == tier:
        raise Unchanged(code=esc(project.code))
    change = projects.set_field(svc.db, project.code, "tier", tier, reason, now, by_user)
    after = projects.get_project(svc.db, project.code)
    assert after is not None
    audit = {"project": project.code, "tier": tier, "previous": project.tier, "reason": reason}
    return Edited(after, change, audit)


def history(svc: Services, code: str) -> History:
    """Every edit of a project's record (fields and tier), oldest first."""
    project = find(svc, code)
    return History(project, projects.history(svc.db, project.code))


def tier_order(project: Project) -> int:
    """Where a project sorts by tier: key first, then regular, watch, and none last."""
    return projects.TIERS.index(project.tier) if project.tier in projects.TIERS else 3
