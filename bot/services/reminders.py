"""Meeting reminders: the rows planned per occurrence and offset, their firer, and /remind.

A reminder is a `schedule` row of kind `meeting_reminder` whose ref is
`<meeting id>.<meeting version>.<occurrence key>.<offset seconds>`, built and read only by
`reminder_ref` / `parse_reminder_ref` (the format of rows already stored). The version
changes whenever the meeting's time, its occurrences or its offsets change, so stale rows
are recognised and cancelled, and new ones never collide with rows already sent. Rows are
kept for the next HORIZON occurrences of a series; every firing (and every start-up) tops
them up. A reminder goes to the chats subscribed to `meetings` and privately to the people
attending or sending a delegate, each in its own language (bot.services.notify).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.domain.meeting_errors import MeetingNotFound
from bot.domain.meeting_times import Meeting, from_occ_key, reminder_due, superseded
from bot.domain.timeparse import format_offsets
from bot.render.meeting import reminder
from bot.services import meeting_reads, notify
from storage import meetings as stored
from storage import schedule
from storage.db import transaction
from storage.schedule import Job

if TYPE_CHECKING:
    from bot.services import Services
    from bot.telegram.scheduler import FireResult

KIND = "meeting_reminder"
HORIZON = 2


class ReminderRef(NamedTuple):
    """What a reminder row's ref says: meeting, version, occurrence key and offset."""

    meeting_id: int
    version: int
    occ: str
    offset: timedelta


def reminder_ref(meeting: Meeting, offset: timedelta) -> str:
    """The schedule ref of the reminder `offset` before the occurrence the meeting is seen at."""
    return f"{meeting.id}.{meeting.version}.{meeting.key}.{int(offset.total_seconds())}"


def parse_reminder_ref(ref: str) -> ReminderRef | None:
    """The parts of a reminder ref, None if malformed."""
    parts = ref.split(".")
    if len(parts) != 4 or not (parts[0].isdigit() and parts[1].isdigit() and parts[3].isdigit()):
        return None
    if from_occ_key(parts[2]) is None:
        return None
    return ReminderRef(int(parts[0]), int(parts[1]), parts[2], timedelta(seconds=int(parts[3])))


def offsets_of(svc: Services, meeting: Meeting) -> tuple[timedelta, ...]:
    """The meeting's reminder offsets, or the configured default."""
    return meeting.offsets if meeting.offsets is not None else svc.config.reminder_offsets


def plan(
    svc: Services, meeting: Meeting, now: datetime, *, live: bool = True, firing: str = ""
) -> int:
    """Cancel the meeting's reminder rows that no longer apply (an earlier version, a
    cancelled occurrence or meeting) and ensure rows for the reminders still ahead of its
    next occurrences; return how many are planned. `live=False` at start-up (rows only:
    the scheduler's rebuild arms them); `firing` is the ref being fired, left to its firer."""
    for job in schedule.pending_with_prefix(svc.db, KIND, f"{meeting.id}."):
        parsed = parse_reminder_ref(job.ref)
        keep = (
            parsed is not None
            and not meeting.cancelled
            and parsed.version == meeting.version
            and parsed.occ not in meeting.exdates
        )
        if keep or job.ref == firing:
            continue
        if live:
            svc.scheduler.cancel(KIND, job.ref)
        else:
            schedule.finish(svc.db, job.id, "cancelled", now, "meeting changed")
    if meeting.cancelled:
        return 0
    planned = 0
    for start in meeting.starts(now, HORIZON):
        occurrence = meeting.at(start)
        for offset in offsets_of(svc, meeting):
            due = reminder_due(start, offset, meeting.zone)
            if due <= now:
                continue
            ref = reminder_ref(occurrence, offset)
            if live:
                svc.scheduler.put(KIND, ref, due)
            else:
                schedule.put(svc.db, KIND, ref, due, now)
            planned += 1
    return planned


def next_due(svc: Services, meeting: Meeting, now: datetime) -> list[datetime]:
    """When the reminders of the meeting's next occurrence go out, those still ahead."""
    starts = meeting.starts(now, 1)
    if not starts:
        return []
    dues = (reminder_due(starts[0], offset, meeting.zone) for offset in offsets_of(svc, meeting))
    return [due for due in dues if due > now]


@dataclass(frozen=True)
class OffsetsSet:
    """The meeting after /remind, the offsets now in force and the audit detail."""

    meeting: Meeting
    offsets: tuple[timedelta, ...]
    next_due: list[datetime]
    audit: dict[str, Any] = field(default_factory=dict)


def set_offsets(
    svc: Services, meeting_id: int, offsets: list[timedelta] | None, now: datetime
) -> OffsetsSet:
    """Set a meeting's reminder offsets (None: back to the default; []: none) and re-plan
    its reminders."""
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise MeetingNotFound(meeting_id)
    text = None if offsets is None else format_offsets(offsets)
    stored.set_offsets(svc.db, meeting_id, text, now)
    updated = meeting_reads.get_meeting(svc.db, meeting_id, now)
    assert updated is not None
    plan(svc, updated, now)
    return OffsetsSet(
        updated,
        offsets_of(svc, updated),
        next_due(svc, updated, now),
        {"meeting": meeting_id, "offsets": text},
    )


def fire_reminder(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send a due reminder, or record it missed when the meeting has started."""
    ref = parse_reminder_ref(job.ref)
    if ref is None:
        return "cancelled", "malformed ref"
    meeting = meeting_reads.get_meeting(svc.db, ref.meeting_id, now)
    if meeting is None or meeting.cancelled:
        return "cancelled", "meeting cancelled"
    plan(svc, meeting, now, firing=job.ref)  # keep the series' next occurrences armed
    if ref.version != meeting.version or ref.occ in meeting.exdates:
        return "cancelled", "meeting changed"
    occurrence = meeting.occurrence(ref.occ)
    if now >= occurrence.start:
        return "missed", "the meeting had started"
    if superseded(occurrence.start, ref.offset, offsets_of(svc, meeting), meeting.zone, now):
        return "missed", "a later reminder is due too"
    tz = svc.config.tz
    sent = notify.notify(
        svc,
        meeting_reads.audience(svc, meeting.id, [occurrence.rsvp_key]),
        f"meeting-reminder:{job.ref}",
        "reminder",
        lambda tr: reminder(occurrence, tz, tr),
        now,
    )
    return "done", f"queued {sent}"


def rearm_all(svc: Services) -> None:
    """At start-up: top up the reminders of every recurring meeting."""
    now = svc.clock.now()
    with transaction(svc.db):
        for meeting in meeting_reads.active(svc.db, now, series_only=True):
            plan(svc, meeting, now, live=False)


FIRERS = {KIND: fire_reminder}
ON_START = [rearm_all]
