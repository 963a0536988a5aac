"""Meeting texts: the card, the list, confirmations, notices and reminders (pure HTML)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.i18n import N_, Tr
from bot.render.dates import show_date, show_datetime, show_span
from bot.render.recurrence import describe_recurrence, offsets_words
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
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
_CJK = re.compile(r"[\u3400-\u9fff]")


def kind_name(tr: Tr, kind: str) -> str:
    """A meeting kind in the chat's language."""
    return tr(KIND_NAMES.get(kind, kind))


def when_error(tr: Tr, code: str, when: str = "", day: date | None = None, typed: str = "") -> str:
    """The explanation of a time-parsing error code, with the date understood if any.

    A date without a time ("周五") is answered with that date and the user's own words
    completed into an example ("周五下午3点").
    """
    if code == "missing_time" and day is not None:
        suffix = tr("3pm")
        typed = " ".join(typed.split())[:60]
        # Chinese runs on without a space (周五下午3点); anything else gets one (friday 3pm).
        joiner = "" if typed and _CJK.match(typed[-1]) and _CJK.match(suffix) else " "
        return tr(
            "I understood {date}, but a meeting needs a time of day too, e.g. {example}.",
            date=show_date(day, tr),
            example=esc(f"{typed}{joiner}{suffix}" if typed else suffix),
        )
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


def _moved(meeting: Meeting, tz: ZoneInfo, tr: Tr) -> list[str]:
    """The line under the heading of an occurrence moved from the time its series gives."""
    if meeting.moved_from is None:
        return []
    return [tr("(moved from {when})", when=show_datetime(meeting.moved_from, tz, tr))]


def _place(meeting: Meeting, tr: Tr) -> list[str]:
    return [tr("📍 {place}", place=esc(meeting.place))] if meeting.place else []


def _invited(meeting: Meeting, tr: Tr, names: Mapping[str, str]) -> str:
    units = unit_labels(tr, meeting.invited, names) if meeting.invited else tr("all units")
    return tr("Invited: {units}", units=units)


def _series(meeting: Meeting, tz: ZoneInfo, tr: Tr) -> list[str]:
    if not meeting.is_series or not meeting.rrule:
        return []
    rule = describe_recurrence(meeting.rrule, meeting.first_start.astimezone(tz), tr)
    return [tr("Repeats: {rule}", rule=esc(rule))]


def reminders_line(tr: Tr, offsets: Sequence[timedelta]) -> str:
    """'Reminders: 1 day, 1 hour before' / '提醒：提前1天、1小时', or that there are none."""
    if not offsets:
        return tr("Reminders: none")
    return tr("Reminders: {offsets} before", offsets=offsets_words(offsets, tr))


def card(
    meeting: Meeting,
    answers: Sequence[Rsvp],
    offsets: Sequence[timedelta],
    tz: ZoneInfo,
    tr: Tr,
    names: Mapping[str, str] | None = None,
) -> str:
    """The meeting card: time, place, invited units, reminders and RSVP counts by unit."""
    names = names or {}
    lines = [heading(meeting, tz, tr), *_moved(meeting, tz, tr), *_place(meeting, tr)]
    lines.append(_invited(meeting, tr, names))
    lines += _series(meeting, tz, tr)
    if meeting.cancelled:
        lines.append(tr("❌ Cancelled."))
        return "\n".join(lines)
    lines.append(reminders_line(tr, offsets))
    counts = counts_by_unit(list(answers))
    if not counts:
        lines.append(tr("No answers yet."))
        return "\n".join(lines)
    lines.append(tr("<b>Answers</b>"))
    for unit, by_answer in sorted(counts.items()):
        parts = tr.join(
            tr("{answer} {n}", answer=tr(ANSWER_NAMES[a]), n=by_answer[a]) for a in ANSWERS
        )
        label = unit_label(tr, unit, names) if unit else tr("no unit")
        lines.append(tr("{unit}: {counts}", unit=label, counts=parts))
    sent = delegate_lines(answers, tr)
    if sent:
        lines += [tr("<b>Delegates</b>"), *sent]
    return "\n".join(lines)


def delegate_lines(answers: Sequence[Rsvp], tr: Tr) -> list[str]:
    """'• Wang Wei (for Sam, TECH)' for each delegate named, in answer order."""
    out = []
    for item in answers:
        if item.answer != "delegate" or not item.delegate:
            continue
        person = esc(item.name)
        if item.unit_code:
            person = tr("{name}, {unit}", name=person, unit=esc(item.unit_code.upper()))
        out.append(
            "• " + tr("{delegate} (for {person})", delegate=esc(item.delegate), person=person)
        )
    return out


def delegate_prompt(meeting: Meeting, command: str, tr: Tr) -> str:
    """The question after 'Send a delegate': who goes, answered by the next message."""
    return tr(
        "Who goes to #{id} in your place? Reply with their name, or send {command} &lt;name&gt;.",
        id=meeting.id,
        command=esc(command),
    )


def delegate_recorded(meeting: Meeting, name: str, tz: ZoneInfo, tr: Tr) -> str:
    """The confirmation of /delegate."""
    return tr(
        "Recorded: {name} goes to #{id} on {when} in your place.",
        name=esc(name),
        id=meeting.id,
        when=show_datetime(meeting.start, tz, tr),
    )


def reminders_set(
    meeting: Meeting, offsets: Sequence[timedelta], due: Sequence[datetime], tz: ZoneInfo, tr: Tr
) -> str:
    """What /remind answers: the offsets and the times of the next reminders."""
    if offsets:
        head = tr(
            "Reminders for #{id}: {offsets} before.",
            id=meeting.id,
            offsets=offsets_words(offsets, tr),
        )
    else:
        head = tr("Reminders for #{id}: none.", id=meeting.id)
    return "\n".join([head, *("• " + show_datetime(d, tz, tr) for d in due)])


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
    lines += _series(meeting, tz, tr)
    if meeting.is_series and len(next_starts) > 1:
        then = tr.join(show_datetime(s, tz, tr) for s in next_starts[1:])
        lines.append(tr("Then: {dates}", dates=then))
    lines += [f"⚠️ {w}" for w in warnings]
    lines.append(tr("Invite units with /invite {id} &lt;UNIT-CODE ...&gt;.", id=meeting.id))
    return "\n".join(lines)


def reminder(meeting: Meeting, tz: ZoneInfo, tr: Tr) -> str:
    """A reminder of an occurrence."""
    return "\n".join(
        [tr("⏰ Reminder"), heading(meeting, tz, tr), *_moved(meeting, tz, tr)]
        + _place(meeting, tr)
        + [tr("Answer with /meeting {id}.", id=meeting.id)]
    )


def moved_notice(
    meeting: Meeting, old_start: datetime, tz: ZoneInfo, tr: Tr, one_occurrence: bool = False
) -> str:
    """Notice that a meeting (or one occurrence of a series) has a new time."""
    old = show_datetime(old_start, tz, tr)
    title = tr("📅 Meeting moved (was {old})", old=old)
    if one_occurrence:
        title = tr("📅 One occurrence moved (was {old})", old=old)
    return "\n".join([title, heading(meeting, tz, tr), *_place(meeting, tr)])


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
