"""Intake as text: calls, applications, one application with its materials."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_datetime
from bot.render.project import category_name, one_line
from bot.render.text import esc
from storage.attachments import Attachment
from storage.intake import Application, CallForProjects

STATE_NAMES = {
    "filed": N_("filed"),
    "accepted": N_("accepted"),
    "rejected": N_("not accepted"),
}


def state_name(tr: Tr, state: str) -> str:
    """An application's state in the chat's language."""
    return tr(STATE_NAMES.get(state, state))


def call_line(tr: Tr, tz: ZoneInfo, found: CallForProjects, count: int) -> str:
    """One call: number, title, deadline, applications so far."""
    title = "<b>" + esc(found.title) + "</b>"
    deadline = show_datetime(found.deadline, tz, tr)
    return tr.ngettext(
        "Call {call}: {title}, deadline {deadline}, {n} application",
        "Call {call}: {title}, deadline {deadline}, {n} applications",
        count,
        call=found.id,
        title=title,
        deadline=deadline,
    )


def calls_text(tr: Tr, tz: ZoneInfo, rows: list[tuple[CallForProjects, int]]) -> str:
    """Every call."""
    if not rows:
        return tr("No calls yet. An admin opens one with /call_new.")
    return "\n".join([tr("Calls for projects:"), *(call_line(tr, tz, c, n) for c, n in rows)])


def application_line(tr: Tr, app: Application) -> str:
    """One application in a list."""
    line = tr(
        "#{n} {name} ({lead}, {category}): {state}",
        n=app.id,
        name=esc(one_line(app.name, 80)),
        lead=esc(one_line(app.lead, 60)),
        category=category_name(tr, app.category),
        state=state_name(tr, app.state),
    )
    return line + (f" → {esc(app.project_code)}" if app.project_code else "")


def applications_text(tr: Tr, apps: list[Application]) -> str:
    """Applications, in the order filed."""
    if not apps:
        return tr("No applications yet.")
    return "\n".join([tr("Applications:"), *(application_line(tr, a) for a in apps)])


def size_text(size: int | None) -> str:
    """A file size in KB (or empty when unknown)."""
    return "" if size is None else f" ({max(1, round(size / 1024))} KB)"


def application_text(
    tr: Tr, tz: ZoneInfo, app: Application, found: CallForProjects, files: list[Attachment]
) -> str:
    """One application in full, with its materials."""
    lines = [
        tr(
            "<b>Application {n}</b> to call {call} ({title})",
            n=app.id,
            call=found.id,
            title=esc(found.title),
        ),
        tr("Project name: {v}", v=esc(app.name)),
        tr("Category: {v}", v=category_name(tr, app.category)),
        tr("Lead institution: {v}", v=esc(app.lead)),
        tr("Contact: {v}", v=esc(app.contact)),
        tr("Summary: {v}", v=esc(app.summary)),
        tr("Filed: {v}", v=show_datetime(app.filed_at, tz, tr)),
        tr("State: {v}", v=state_name(tr, app.state)),
    ]
    if app.project_code:
        lines.append(tr("Project: {v}", v=esc(app.project_code)))
    if app.reason:
        lines.append(tr("Reason: {v}", v=esc(app.reason)))
    if files:
        lines.append(tr("Materials:"))
        lines.extend(f"• {esc(m.name or tr('photo'))}{size_text(m.size)}" for m in files)
    else:
        lines.append(tr("Materials: none"))
    return "\n".join(lines)
