"""Pure rendering of the project record: field names and the history of edits."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_datetime
from bot.render.project import category_name, one_line, tier_name
from bot.render.text import esc
from storage.projects import FieldChange, Project

FIELD_NAMES = {
    "name": N_("name"),
    "category": N_("category"),
    "lead": N_("lead institution"),
    "batch": N_("batch"),
    "region": N_("region"),
    "tier": N_("supervision tier"),
}


def field_name(tr: Tr, what: str) -> str:
    """A record field's name in the chat's language."""
    return tr(FIELD_NAMES.get(what, what))


def field_value(tr: Tr, what: str, value: str) -> str:
    """A stored field value as shown: categories and tiers by name, text escaped."""
    if not value:
        return "—"
    if what == "category":
        return category_name(tr, value)
    if what == "tier":
        return tier_name(tr, value)
    return esc(one_line(value, 200))


def change_line(change: FieldChange, tr: Tr, tz: ZoneInfo) -> str:
    """One edit: when, which field, old → new, and the reason if any."""
    line = tr(
        "{when} {field}: {old} → {new}",
        when=show_datetime(change.at, tz, tr),
        field=field_name(tr, change.field),
        old=field_value(tr, change.field, change.old_value),
        new=field_value(tr, change.field, change.new_value),
    )
    if change.reason:
        line += tr(" (reason: {reason})", reason=esc(one_line(change.reason, 300)))
    return line


def history_text(project: Project, changes: list[FieldChange], tr: Tr, tz: ZoneInfo) -> str:
    """The /project_history answer: every edit of the record, oldest first."""
    head = tr("<b>{code}: edits of the record</b>", code=esc(project.code))
    if not changes:
        return head + "\n" + tr("No edits yet: the record is as registered.")
    return "\n".join([head, *(change_line(c, tr, tz) for c in changes)])
