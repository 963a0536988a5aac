"""Pure rendering of plan-change requests (方案变更): the admins' request, the requester's
answer, the disclosure, lists and card lines."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_date, show_datetime
from bot.render.project import one_line
from bot.render.text import esc
from storage.changes import PlanChange
from storage.projects import Project

STATE_NAMES = {
    "pending": N_("pending"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
}


def state_name(tr: Tr, state: str) -> str:
    """A request's state in the chat's language."""
    return tr(STATE_NAMES.get(state, state))


def _body(change: PlanChange, tr: Tr) -> list[str]:
    return [
        tr("What changes: {text}", text=esc(one_line(change.what, 1000))),
        tr("Why: {text}", text=esc(one_line(change.why, 1000))),
    ]


def request_text(change: PlanChange, project: Project, by: str, tr: Tr, tz: ZoneInfo) -> str:
    """The admins' copy of a new request, above the Approve / Reject buttons."""
    return "\n".join(
        [
            tr(
                "<b>Plan-change request #{n}: {code}</b> — {name}",
                n=change.id,
                code=esc(project.code),
                name=esc(one_line(project.name, 120)),
            ),
            tr("Filed by {who}, {when}", who=by, when=show_datetime(change.at, tz, tr)),
            *_body(change, tr),
        ]
    )


def decided_text(change: PlanChange, tr: Tr) -> str:
    """The requester's notice of the decision."""
    if change.state == "approved":
        return tr(
            "Your plan-change request #{n} on {code} was approved.",
            n=change.id,
            code=esc(change.project_code),
        )
    return tr(
        "Your plan-change request #{n} on {code} was rejected. Reason: {reason}",
        n=change.id,
        code=esc(change.project_code),
        reason=esc(one_line(change.reason, 1000)),
    )


def disclosure_text(change: PlanChange, project: Project, tr: Tr, tz: ZoneInfo) -> str:
    """The disclosure of an approved change."""
    return "\n".join(
        [
            tr("<b>Disclosure: plan change approved</b>"),
            f"<b>{esc(project.code)}</b> — {esc(project.name)}",
            tr("Lead institution: {lead}", lead=esc(project.lead)),
            *_body(change, tr),
            tr("Date: {when}", when=show_datetime(change.decided_at or change.at, tz, tr)),
        ]
    )


def change_line(change: PlanChange, tr: Tr, tz: ZoneInfo) -> str:
    """One request in a list: number, project, state, date, what."""
    line = tr(
        "#{n} {code} · {state} · {day}: {what}",
        n=change.id,
        code=esc(change.project_code),
        state=state_name(tr, change.state),
        day=show_date(change.at.astimezone(tz).date(), tr),
        what=esc(one_line(change.what, 200)),
    )
    if change.state == "rejected" and change.reason:
        line += tr(" (reason: {reason})", reason=esc(one_line(change.reason, 200)))
    return line


def listing_text(found: list[PlanChange], tr: Tr, tz: ZoneInfo) -> str:
    """The /changes answer."""
    if not found:
        return tr("No plan-change requests.")
    return "\n".join([tr("<b>Plan-change requests</b>"), *(change_line(c, tr, tz) for c in found)])


def card_lines(found: list[PlanChange], tr: Tr, tz: ZoneInfo) -> list[str]:
    """The approved changes on a project's card."""
    if not found:
        return []
    return ["", tr("<b>Approved plan changes</b>"), *(change_line(c, tr, tz) for c in found)]
