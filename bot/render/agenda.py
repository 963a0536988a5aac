"""Agenda texts: the agenda, its publication and amendments, drop and escalation notices.

The rendering layer of the agenda (map in bot/services/agenda.py): pure functions of the
data the agenda service gathers (`AgendaView`, storage dataclasses) and a translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.agenda_rules import Diff, Sitting, running_totals
from bot.domain.meeting_times import Meeting
from bot.i18n import N_, Tr
from bot.render.actions import action_line
from bot.render.dates import show_datetime
from bot.render.meeting import heading
from bot.render.text import esc
from storage.actions import Action
from storage.agenda import Item
from storage.agenda_sittings import SittingState


@dataclass(frozen=True)
class AgendaView:
    """Everything /agenda shows about one sitting."""

    sitting: Sitting[Meeting]
    items: list[Item]
    arising: list[Action]
    state: SittingState
    cutoff: datetime


ITEM_KINDS = {
    "report": N_("report"),
    "deliberation": N_("deliberation"),
    "study": N_("study"),
}


def item_kind(tr: Tr, kind: str) -> str:
    """An item kind (report, deliberation, study) in the chat's language."""
    return tr(ITEM_KINDS.get(kind, kind))


def item_head(number: int, item: Item, tr: Tr) -> str:
    """'3. [deliberation] Title ‼️ major' on one line."""
    text = f"{number}. " + tr(
        "[{label}] {title}", label=esc(item_kind(tr, item.kind)), title=esc(item.title)
    )
    if item.major:
        text += " ‼️ " + tr("major matter")
    return text


def item_detail(item: Item, tr: Tr) -> str:
    """Unit, submitter, project and markers of an item, one line."""
    parts = [esc(item.unit_code or "—")]
    if item.submitter_name:
        parts.append(esc(item.submitter_name))
    if item.project:
        parts.append(tr("project {code}", code=esc(item.project)))
    if item.late:
        parts.append(tr("late"))
    if item.origin == "carried":
        parts.append(tr("↩️ carried over"))
    elif item.origin == "escalated":
        parts.append(tr("⬆️ escalated for deliberation (提请协调小组审议)"))
    if item.state == "forwarded" and item.forward == "escalate":
        parts.append(tr("⬆️ sent up to the coordination group"))
    return "   " + " · ".join(parts)


def agenda_text(
    sitting: Sitting[Meeting],
    found: Sequence[Item],
    arising: Sequence[Action],
    state: SittingState,
    cutoff: datetime,
    tz: ZoneInfo,
    tr: Tr,
    now: datetime,
) -> str:
    """The agenda as it stands: matters arising, numbered items, running total, status."""
    lines = [tr("<b>Agenda</b>"), heading(sitting.meeting, tz, tr)]
    today = now.astimezone(tz).date()
    if arising:
        lines.append(tr("<b>Matters arising (open actions)</b>"))
        lines += [action_line(a, tr, today) for a in arising]
    if not found:
        lines.append(tr("No items yet."))
    length = int(sitting.meeting.duration.total_seconds() // 60)
    totals = running_totals([i.minutes for i in found])
    for number, (item, total) in enumerate(zip(found, totals, strict=True), start=1):
        lines.append(item_head(number, item, tr))
        lines.append(item_detail(item, tr))
        if item.minutes:
            lines.append(
                "   "
                + tr(
                    "{m} min (running total {total} of {length})",
                    m=item.minutes,
                    total=total,
                    length=length,
                )
            )
    if totals and totals[-1] > length:
        lines.append(
            tr(
                "⚠️ The items need {total} minutes; the meeting lasts {length}.",
                total=totals[-1],
                length=length,
            )
        )
    lines.append(_status(state, cutoff, tz, tr, now))
    return "\n".join(lines)


def view_text(view: AgendaView, tz: ZoneInfo, tr: Tr, now: datetime) -> str:
    """The agenda of a sitting as the agenda service gathered it."""
    return agenda_text(
        view.sitting, view.items, view.arising, view.state, view.cutoff, tz, tr, now
    )


def added_text(
    sitting: Sitting[Meeting], number: int, item: Item, total: int, late: bool, tr: Tr
) -> str:
    """The answer to /agenda_add: the item's number, marks, and the running total."""
    lines = [
        tr(
            "Item {n} added to the agenda of #{id}: [{kind}] {title}",
            n=number,
            id=sitting.meeting.id,
            kind=esc(item_kind(tr, item.kind)),
            title=esc(item.title),
        )
    ]
    if item.major:
        lines.append(tr("‼️ Marked as a major matter."))
    if late:
        lines.append(tr("Added after the cut-off: marked late."))
    length = int(sitting.meeting.duration.total_seconds() // 60)
    lines.append(tr("Running total: {total} of {length} minutes.", total=total, length=length))
    return "\n".join(lines)


def _status(state: SittingState, cutoff: datetime, tz: ZoneInfo, tr: Tr, now: datetime) -> str:
    if state.published_at is not None:
        return tr("Published {when}.", when=show_datetime(state.published_at, tz, tr))
    if state.locked_at is not None:
        return tr("Locked: no more submissions.")
    if now >= cutoff:
        return tr("Submissions closed at {when}.", when=show_datetime(cutoff, tz, tr))
    return tr("Submissions close at {when}.", when=show_datetime(cutoff, tz, tr))


def published_text(body: str, tr: Tr) -> str:
    """The agenda as pushed to the group chats."""
    return "\n".join([tr("📋 Agenda published"), body])


def amendment_text(
    sitting: Sitting[Meeting], change: Diff, number: int, tz: ZoneInfo, tr: Tr
) -> str:
    """A clearly marked amendment listing what changed since the agenda was published."""
    lines = [
        tr("📝 AGENDA AMENDMENT No. {n}", n=number),
        heading(sitting.meeting, tz, tr),
    ]
    for line in change.added:
        lines.append(tr("➕ Added: {n}. {title}", n=line.number, title=esc(line.title)))
    for line in change.removed:
        lines.append(tr("➖ Removed: {title}", title=esc(line.title)))
    for line, before in change.moved:
        lines.append(
            tr(
                "↕️ Now item {n} (was {old}): {title}",
                n=line.number,
                old=before,
                title=esc(line.title),
            )
        )
    lines.append(tr("See /agenda {id} for the full agenda.", id=sitting.meeting.id))
    return "\n".join(lines)


def dropped_notice(
    sitting: Sitting[Meeting], item: Item, reason: str, tz: ZoneInfo, tr: Tr
) -> str:
    """Told privately to the submitter when their item is dropped."""
    lines = [
        tr("Your agenda item was dropped: {title}", title=esc(item.title)),
        heading(sitting.meeting, tz, tr),
        tr("Reason: {reason}", reason=esc(reason)) if reason else tr("No reason was given."),
    ]
    return "\n".join(lines)


def unplaced_notice(found: Sequence[Item], tr: Tr) -> str:
    """Told to the admins when major items cannot go up: no coordination meeting scheduled."""
    lines = [
        tr(
            "⬆️ Major matters to put before the coordination group (提请协调小组审议), "
            "but no coordination-group meeting is scheduled:"
        )
    ]
    lines += [
        "• " + tr("{text} ({note})", text=esc(i.title), note=esc(i.unit_code or "—"))
        for i in found
    ]
    lines.append(tr("They join the next coordination-group meeting's agenda once it exists."))
    return "\n".join(lines)
