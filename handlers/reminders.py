"""Meeting reminders: schedule rows per occurrence and offset, /remind, and meeting notices.

A reminder is a `schedule` row of kind `meeting_reminder` whose ref is
`<meeting id>.<meeting version>.<occurrence key>.<offset seconds>`. The version changes
when the meeting moves or its offsets change, so stale rows are recognised and new ones
never collide with rows already sent. Rows are kept for the next HORIZON occurrences of a
series; every firing (and every start-up) tops them up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.commands import Call, CommandSpec, Reply, UsageError
from bot.i18n import N_, Tr, pick_language
from bot.keywords import NONE_WORDS, is_word
from bot.meeting_times import from_occ_key, occ_key, reminder_due, reminder_plan, superseded
from bot.normalize import split_head
from bot.render.dates import show_datetime
from bot.render.meeting import reminder
from bot.render.recurrence import offsets_words
from bot.scheduler import FireResult
from bot.services import Services
from bot.timeparse import OffsetError, format_offsets, parse_offsets
from storage import chats, meetings, outbox, people, rsvps, schedule
from storage.db import transaction
from storage.meetings import Meeting
from storage.schedule import Job

KIND = "meeting_reminder"
HORIZON = 2


def offsets_of(svc: Services, meeting: Meeting) -> tuple[timedelta, ...]:
    """The meeting's reminder offsets, or the configured default."""
    return meeting.offsets if meeting.offsets is not None else svc.config.reminder_offsets


def reminder_ref(meeting: Meeting, start: datetime, offset: timedelta) -> str:
    """The schedule ref of one reminder."""
    return f"{meeting.id}.{meeting.version}.{occ_key(start)}.{int(offset.total_seconds())}"


def parse_ref(ref: str) -> tuple[int, int, datetime, timedelta] | None:
    """(meeting id, version, occurrence start, offset) from a ref, None if malformed."""
    parts = ref.split(".")
    if len(parts) != 4 or not (parts[0].isdigit() and parts[1].isdigit() and parts[3].isdigit()):
        return None
    start = from_occ_key(parts[2])
    if start is None:
        return None
    return int(parts[0]), int(parts[1]), start, timedelta(seconds=int(parts[3]))


def arm_meeting(svc: Services, meeting: Meeting, now: datetime, arm: bool = True) -> int:
    """Ensure rows for the reminders still ahead of the next occurrences; return how many."""
    if meeting.cancelled:
        return 0
    starts = meeting.starts(now, HORIZON)
    plan = reminder_plan(starts, offsets_of(svc, meeting), meeting.zone, now)
    for start, offset, due in plan:
        ref = reminder_ref(meeting, start, offset)
        if arm:
            svc.scheduler.put(KIND, ref, due)
        else:  # at start-up: the scheduler's rebuild arms every pending row afterwards
            schedule.put(svc.db, KIND, ref, due, now)
    return len(plan)


def disarm(svc: Services, meeting: Meeting, start: datetime | None = None) -> int:
    """Cancel the pending reminders of a meeting (all versions), or of one occurrence."""
    if start is None:
        return svc.scheduler.cancel_prefix(KIND, f"{meeting.id}.")
    return svc.scheduler.cancel_prefix(KIND, f"{meeting.id}.{meeting.version}.{occ_key(start)}.")


def recipients(svc: Services, occ_keys: Sequence[str], meeting_id: int) -> list[tuple[int, Tr]]:
    """Chats subscribed to meetings, then people who will attend or send a delegate."""
    default = svc.config.locale
    out: dict[int, Tr] = {}
    for chat in chats.subscribers(svc.db, "meetings"):
        lang = pick_language(chat.language, chat.is_private, None, default)
        out[chat.chat_id] = svc.translator.get(lang)
    for user_id in rsvps.attending(svc.db, meeting_id, list(occ_keys)):
        if user_id in out:
            continue
        private = chats.get_chat(svc.db, user_id)
        if private is not None and private.suspended:
            continue
        person = people.get_person(svc.db, user_id)
        lang = pick_language(
            private.language if private else None,
            True,
            person.language if person else None,
            default,
        )
        out[user_id] = svc.translator.get(lang)
    return list(out.items())


def notify(
    svc: Services,
    key: str,
    kind: str,
    meeting_id: int,
    occ_keys: Sequence[str],
    render: Callable[[Tr], str],
    now: datetime,
) -> int:
    """Queue one message per recipient under `<key>:<chat id>`; return how many were new."""
    queued = 0
    for chat_id, tr in recipients(svc, occ_keys, meeting_id):
        text = render(tr)
        queued += outbox.enqueue(
            svc.db, key=f"{key}:{chat_id}", kind=kind, chat_id=chat_id, text=text, now=now
        )
    return queued


def fire_reminder(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send a due reminder, or record it missed when the meeting has started."""
    parsed = parse_ref(job.ref)
    if parsed is None:
        return "cancelled", "malformed ref"
    meeting_id, version, start, offset = parsed
    meeting = meetings.get_meeting(svc.db, meeting_id, now)
    if meeting is None or meeting.cancelled:
        return "cancelled", "meeting cancelled"
    arm_meeting(svc, meeting, now)  # keep the series' next occurrences armed
    if version != meeting.version or occ_key(start) in meeting.exdates:
        return "cancelled", "meeting changed"
    if now >= start:
        return "missed", "the meeting had started"
    if superseded(start, offset, offsets_of(svc, meeting), meeting.zone, now):
        return "missed", "a later reminder is due too"
    occurrence = meeting.at(start)
    tz = svc.config.tz
    key = f"mrem:{job.ref}"
    rsvp_key = occurrence.rsvp_key
    sent = notify(
        svc, key, "reminder", meeting.id, [rsvp_key], lambda tr: reminder(occurrence, tz, tr), now
    )
    return "done", f"queued {sent}"


def rearm_all(svc: Services) -> None:
    """At start-up: top up the reminders of every recurring meeting."""
    now = svc.clock.now()
    with transaction(svc.db):
        for meeting in meetings.active(svc.db, now):
            if meeting.is_series:
                arm_meeting(svc, meeting, now, arm=False)


def remind(call: Call) -> Reply:
    """Set a meeting's reminder offsets (none given: back to the default; 'off': none)."""
    from handlers.meetings import load_meeting

    ident, text = split_head(call.args)
    if not ident:
        raise UsageError()
    meeting = load_meeting(call, ident)
    if is_word(text, NONE_WORDS):
        stored: str | None = ""
    elif text:
        try:
            stored = format_offsets(parse_offsets(text))
        except OffsetError as exc:
            raise UsageError(offset_error(call.tr, exc.code)) from None
    else:
        stored = None
    disarm(call.services, meeting)
    meetings.set_offsets(call.db, meeting.id, stored, call.now)
    updated = meetings.get_meeting(call.db, meeting.id, call.now)
    assert updated is not None
    arm_meeting(call.services, updated, call.now)
    call.audit_detail.update(meeting=meeting.id, offsets=stored)
    return Reply(text=remind_reply(call, updated))


def remind_reply(call: Call, meeting: Meeting) -> str:
    """What /remind answers: the offsets and the next reminder times."""
    _ = call.tr
    offsets = offsets_of(call.services, meeting)
    if offsets:
        head = _(
            "Reminders for #{id}: {offsets} before.",
            id=meeting.id,
            offsets=offsets_words(offsets, _),
        )
    else:
        head = _("Reminders for #{id}: none.", id=meeting.id)
    lines = [head]
    starts = meeting.starts(call.now, 1)
    for offset in offsets:
        if starts:
            due = reminder_due(starts[0], offset, meeting.zone)
            if due > call.now:
                lines.append("• " + show_datetime(due, call.services.config.tz, _))
    return "\n".join(lines)


def offset_error(tr: Tr, code: str) -> str:
    """Why reminder offsets were refused."""
    if code == "out_of_range":
        return tr("Each reminder must be more than 0 and at most 60 days before.")
    return tr("I could not read those offsets. Write them like 2d,3h,15m or 1天,3小时.")


FIRERS = {KIND: fire_reminder}
ON_START = [rearm_all]

COMMANDS = [
    CommandSpec(
        "remind",
        remind,
        N_("set a meeting's reminders"),
        N_("/remind <id> [offsets|off]"),
        N_("/remind 12 2d,3h,15m"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
