"""Meeting texts: the card, the list, confirmations, notices and reminders (pure HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import N_, Tr
from bot.render.dates import show_datetime, show_span
from bot.render.text import esc
from bot.timeparse import format_offsets
from storage.meetings import Meeting
from storage.rsvps import ANSWERS, Rsvp, counts_by_unit

KIND_NAMES = {
    "coordination": N_("Coordination-group meeting"),
    "joint": N_("Joint working meeting"),
    "working": N_("Working-group meeting"),
    "evaluation": N_("Expert evaluation meeting"),
}
ANSWER_NAMES = {
    "attend": N_("attend"),
    "decline": N_("decline"),
    "delegate": N_("delegate"),
}
WHEN_ERRORS = {
    "unparseable": N_(
        "I could not read that time. Try 2026-12-04 14:00, next friday 3pm or 下周五下午3点."
    ),
    "missing_time": N_("Please give a time of day as well as the date."),
    "end_before_start": N_("The end time must be after the start time."),
    "past": N_("That time is in the past: {when}."),
}


def kind_name(tr: Tr, kind: str) -> str:
    """A meeting kind in the chat's language."""
    return tr(KIND_NAMES.get(kind, kind))


def when_error(tr: Tr, code: str, when: str = "") -> str:
    """The explanation of a time-parsing error code."""
    return tr(WHEN_ERRORS.get(code, WHEN_ERRORS["unparseable"]), when=when)


def heading(meeting: Meeting, tz: ZoneInfo, tr: Tr) -> str:
    """'#12 Joint working meeting: Title' and the time, two lines."""
    return "\n".join(
        [
            tr(
                "<b>#{id} {kind}: {title}</b>",
                id=meeting.id,
                kind=esc(kind_name(tr, meeting.kind)),
                title=esc(meeting.title),
            ),
            tr("🕑 {span}", span=show_span(meeting.start, meeting.end, tz, tr)),
        ]
    )


def _place(meeting: Meeting, tr: Tr) -> list[str]:
    return [tr("📍 {place}", place=esc(meeting.place))] if meeting.place else []


def _invited(meeting: Meeting, tr: Tr) -> str:
    units = ", ".join(esc(c) for c in meeting.invited) if meeting.invited else tr("all units")
    return tr("Invited: {units}", units=units)


def _series(meeting: Meeting, tr: Tr) -> list[str]:
    if not meeting.is_series:
        return []
    return [tr("Repeats: <code>{rule}</code>", rule=esc(meeting.rrule))]


def offsets_text(tr: Tr, offsets: Sequence[timedelta]) -> str:
    """Reminder offsets as text, or 'none'."""
    return format_offsets(offsets) if offsets else tr("none")


def card(
    meeting: Meeting,
    answers: Sequence[Rsvp],
    offsets: Sequence[timedelta],
    tz: ZoneInfo,
    tr: Tr,
) -> str:
    """The meeting card: time, place, invited units, reminders and RSVP counts by unit."""
    lines = [heading(meeting, tz, tr), *_place(meeting, tr), _invited(meeting, tr)]
    lines += _series(meeting, tr)
    if meeting.cancelled:
        lines.append(tr("❌ Cancelled."))
        return "\n".join(lines)
    lines.append(tr("Reminders: {offsets} before", offsets=offsets_text(tr, offsets)))
    counts = counts_by_unit(list(answers))
    if not counts:
        lines.append(tr("No answers yet."))
        return "\n".join(lines)
    lines.append(tr("<b>Answers</b>"))
    for unit, by_answer in sorted(counts.items()):
        parts = ", ".join(f"{tr(ANSWER_NAMES[a])} {by_answer[a]}" for a in ANSWERS)
        lines.append(tr("{unit}: {counts}", unit=esc(unit or tr("no unit")), counts=parts))
    return "\n".join(lines)


def listing(meetings: Sequence[Meeting], tz: ZoneInfo, tr: Tr) -> str:
    """Upcoming meetings, one line each."""
    if not meetings:
        return tr("No upcoming meetings.")
    lines = [tr("<b>Upcoming meetings</b>")]
    for m in meetings:
        lines.append(
            tr(
                "#{id} {when} — {kind}: {title}",
                id=m.id,
                when=show_datetime(m.start, tz, tr),
                kind=esc(kind_name(tr, m.kind)),
                title=esc(m.title),
            )
        )
    lines.append(tr("Send /meeting &lt;id&gt; for details and to answer."))
    return "\n".join(lines)


def created(
    meeting: Meeting,
    next_starts: Sequence[datetime],
    warnings: Sequence[str],
    tz: ZoneInfo,
    tr: Tr,
) -> str:
    """The confirmation after /meeting_new, echoing the time understood."""
    lines = [tr("Scheduled:"), heading(meeting, tz, tr), *_place(meeting, tr)]
    lines += _series(meeting, tr)
    if meeting.is_series and len(next_starts) > 1:
        then = ", ".join(show_datetime(s, tz, tr) for s in next_starts[1:])
        lines.append(tr("Then: {dates}", dates=then))
    lines += [f"⚠️ {w}" for w in warnings]
    lines.append(tr("Invite units with /invite {id} &lt;UNIT-CODE ...&gt;.", id=meeting.id))
    return "\n".join(lines)


def reminder(meeting: Meeting, tz: ZoneInfo, tr: Tr) -> str:
    """A reminder of an occurrence."""
    return "\n".join(
        [tr("⏰ Reminder"), heading(meeting, tz, tr), *_place(meeting, tr)]
        + [tr("Answer with /meeting {id}.", id=meeting.id)]
    )


def moved_notice(meeting: Meeting, old_start: datetime, tz: ZoneInfo, tr: Tr) -> str:
    """Notice that a meeting has a new time."""
    return "\n".join(
        [
            tr("📅 Meeting moved (was {old})", old=show_datetime(old_start, tz, tr)),
            heading(meeting, tz, tr),
            *_place(meeting, tr),
        ]
    )


def cancelled_notice(
    meeting: Meeting, whole_series: bool, reason: str, tz: ZoneInfo, tr: Tr
) -> str:
    """Notice that a meeting, one occurrence or a whole series is cancelled."""
    title = tr("❌ Meeting cancelled")
    if meeting.is_series:
        title = (
            tr("❌ Whole series cancelled") if whole_series else tr("❌ This occurrence cancelled")
        )
    lines = [title, heading(meeting, tz, tr)]
    if reason:
        lines.append(tr("Reason: {reason}", reason=esc(reason)))
    return "\n".join(lines)
