"""What an agenda's timed rows do when they fire: publish, escalate, carry over.

`agenda_publish` locks and pushes the agenda (unless nothing is on it or the meeting has
started); `agenda_close`, at a joint or working sitting's end, sends its #major items not
decided there up to the next coordination-group meeting (提请协调小组审议), telling the
admins when none is scheduled; `agenda_carry`, MINUTES_GRACE after the end unless the
minutes were published first, moves the items not reached to the next sitting of the same
kind. Items that cannot move yet wait, and the first sitting of the right kind whose agenda
is looked at, added to or published adopts them. Rows are planned (and their refs built and
parsed) in agenda_timing.py; a row whose sitting moved or was cancelled does nothing.

Part of the agenda service (map in bot/services/agenda.py); the registry collects FIRERS
and ON_START through handlers/agenda.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.agenda_rules import ESCALATE_TO, Sitting, escalates, sitting_at, to_carry
from bot.domain.meeting_times import Meeting
from bot.render.agenda import unplaced_notice
from bot.services import Services, notify
from bot.services import meeting_reads as meetings
from bot.services.agenda_publication import adopt, publish
from bot.services.agenda_timing import (
    CARRY,
    CLOSE,
    PUBLISH,
    known,
    parse_sitting_ref,
    replan,
    stale,
)
from bot.telegram.scheduler import FireResult
from storage import actions, agenda, agenda_sittings, minutes
from storage.db import transaction
from storage.schedule import Job

JobAction = Callable[[Services, Sitting[Meeting], datetime], FireResult]


def _next_sitting(
    svc: Services, kind: str, after: datetime, now: datetime
) -> Sitting[Meeting] | None:
    nxt = meetings.next_of_kind(svc.db, kind, max(after, now))
    return sitting_at(nxt, nxt.rsvp_key) if nxt is not None else None


def carry(svc: Services, sitting: Sitting[Meeting], now: datetime) -> int:
    """Move this sitting's unreached open items to the next sitting of the same kind
    (once); return how many."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    if not agenda_sittings.mark_carried(db, mid, key, now):
        return 0
    found = agenda.items(db, mid, key)
    ids = to_carry([(i.id, i.state, i.reached) for i in found])
    for item_id in ids:
        agenda.set_waiting(db, item_id, "carry")
    target = _next_sitting(svc, sitting.meeting.kind, sitting.end, now)
    if ids and target is not None:
        adopt(svc, target, now)
    return len(ids)


def escalate(svc: Services, sitting: Sitting[Meeting], now: datetime) -> int:
    """Send this sitting's #major items not decided at it up to the next coordination-group
    meeting; return how many."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    decided = minutes.decided_items(db, mid, key)
    found = [
        i
        for i in agenda.items(db, mid, key)
        if escalates(sitting.meeting.kind, i.major, i.state, i.id in decided)
    ]
    for item in found:
        agenda.set_waiting(db, item.id, "escalate")
    if not found:
        return 0
    target = _next_sitting(svc, ESCALATE_TO, sitting.end, now)
    if target is not None:
        adopt(svc, target, now)
        return len(found)
    notify.notify(
        svc,
        notify.admins(svc),
        f"agenda-unplaced:{sitting.ref}",
        "notice",
        lambda tr: unplaced_notice(found, tr),
        now,
    )
    return len(found)


def _job_sitting(svc: Services, job: Job, now: datetime) -> Sitting[Meeting] | str:
    """The sitting a row is about, or why it no longer applies."""
    ref = parse_sitting_ref(job.ref)
    if ref is None:
        return "malformed ref"
    meeting = meetings.get_meeting(svc.db, ref.meeting_id, now)
    if meeting is None:
        return "meeting cancelled"
    why = stale(meeting, ref)
    if why is not None:
        replan(svc, meeting, now)  # the rows of its new time, should nobody have yet
        return why
    return sitting_at(meeting, ref.key)


def _fire(action: JobAction) -> Callable[[Services, Job, datetime], FireResult]:
    def fire(svc: Services, job: Job, now: datetime) -> FireResult:
        found = _job_sitting(svc, job, now)
        if isinstance(found, str):
            return "cancelled", found
        replan(svc, found.meeting, now)
        return action(svc, found, now)

    return fire


def _publish_job(svc: Services, sitting: Sitting[Meeting], now: datetime) -> FireResult:
    if now >= sitting.start:
        return "missed", "the meeting had started"
    adopt(svc, sitting, now)
    if not agenda.items(svc.db, sitting.meeting.id, sitting.key) and not actions.arising(
        svc.db, sitting.meeting.kind, sitting.start
    ):
        return "done", "nothing to publish"
    return "done", "published" if publish(svc, sitting, now) else "already published"


def _close_job(svc: Services, sitting: Sitting[Meeting], now: datetime) -> FireResult:
    return "done", f"escalated {escalate(svc, sitting, now)}"


def _carry_job(svc: Services, sitting: Sitting[Meeting], now: datetime) -> FireResult:
    if minutes.publication(svc.db, sitting.meeting.id, sitting.key) is not None:
        return "done", "carried at publication"
    return "done", f"carried {carry(svc, sitting, now)}"


FIRERS = {PUBLISH: _fire(_publish_job), CLOSE: _fire(_close_job), CARRY: _fire(_carry_job)}


def rearm_all(svc: Services) -> None:
    """At start-up: rows for every active meeting's sittings (written, not yet armed: the
    scheduler's rebuild arms every pending row afterwards)."""
    now = svc.clock.now()
    with transaction(svc.db):
        seen = known(svc)
        for meeting in meetings.active(svc.db, now):
            replan(svc, meeting, now, live=False, seen=seen)
