"""What happens to an agenda over time: publication, amendments, escalation and carry-over.

Every sitting gets three schedule rows, ref `<meeting id>.<version>.<occurrence key or ->`:
`agenda_publish` (publish_before the start: lock and push to `meetings` subscribers),
`agenda_close` (at the end: #major items of joint/working meetings go up to the next
coordination-group meeting) and `agenda_carry` (MINUTES_GRACE after the end, unless the
minutes were published first: items not reached move to the next sitting of the same
kind). The version in the ref means a moved meeting gets fresh rows. Items that cannot
move yet (no target sitting scheduled) wait, and are adopted by the first sitting of the
right kind whose agenda is looked at, added to or published. All pushes go through
the outbox under keys naming the sitting, so nothing is pushed twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.agenda_rules import (
    ESCALATE_FROM,
    ESCALATE_TO,
    MINUTES_GRACE,
    Line,
    Sitting,
    choose_sitting,
    cutoff,
    diff,
    escalates,
    sitting_at,
    to_carry,
)
from bot.fanout import to_admins, tr_for_chat
from bot.i18n import Tr
from bot.meeting_times import Meeting
from bot.render.agenda import agenda_text, amendment_text, published_text, unplaced_notice
from bot.render.text import split_message
from bot.scheduler import FireResult
from bot.services import Services
from bot.services import meeting_reads as meetings
from storage import actions, agenda, agenda_sittings, chats, minutes, outbox, schedule
from storage.db import transaction
from storage.schedule import Job

PUBLISH, CLOSE, CARRY = "agenda_publish", "agenda_close", "agenda_carry"


def lines_of(found: list[agenda.Item]) -> list[Line]:
    """The published form of an agenda: (item id, number, title) per item."""
    return [Line(i.id, n, i.title) for n, i in enumerate(found, start=1)]


def render(svc: Services, sitting: Sitting, tr: Tr, now: datetime) -> str:
    """The agenda of a sitting as it stands, in one language."""
    db, mid = svc.db, sitting.meeting.id
    return agenda_text(
        sitting,
        agenda.items(db, mid, sitting.key),
        actions.arising(db, sitting.meeting.kind, sitting.start),
        agenda_sittings.state_of(db, mid, sitting.key),
        cutoff(sitting.start, svc.config.agenda_cutoff),
        svc.config.tz,
        tr,
        now,
    )


def push(svc: Services, key: str, kind: str, text_for: Callable[[Tr], str], now: datetime) -> int:
    """Queue a notice to every `meetings` subscriber in its language, split at Telegram's
    limit, under `<key>:<chat id>[:<part>]`; return how many rows were new."""
    queued = 0
    for chat in chats.subscribers(svc.db, "meetings"):
        parts = split_message(text_for(tr_for_chat(svc, chat)))
        for index, part in enumerate(parts):
            suffix = f":{index}" if index else ""
            queued += outbox.enqueue(
                svc.db,
                key=f"{key}:{chat.chat_id}{suffix}",
                kind=kind,
                chat_id=chat.chat_id,
                text=part,
                now=now,
            )
    return queued


def publish(svc: Services, sitting: Sitting, now: datetime) -> bool:
    """Lock the agenda and push it to the group chats; False if it was published before."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    adopt(svc, sitting, now)
    found = agenda.items(db, mid, key)
    snapshot = [[line.item_id, line.number, line.title] for line in lines_of(found)]
    if not agenda_sittings.mark_published(db, mid, key, snapshot, now):
        return False
    push(
        svc,
        f"agpub:{sitting.ref}",
        "agenda",
        lambda tr: published_text(render(svc, sitting, tr, now), tr),
        now,
    )
    return True


def amend(svc: Services, sitting: Sitting, now: datetime) -> int | None:
    """After a change to a published agenda, push an amendment listing it; its number."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    state = agenda_sittings.state_of(db, mid, key)
    if state.published_at is None:
        return None
    before = [Line(int(r[0]), int(r[1]), str(r[2])) for r in state.snapshot]
    after = lines_of(agenda.items(db, mid, key))
    change = diff(before, after)
    if not change:
        return None
    snapshot = [[line.item_id, line.number, line.title] for line in after]
    number = agenda_sittings.mark_amended(db, mid, key, snapshot)
    tz = svc.config.tz
    push(
        svc,
        f"agamend:{sitting.ref}:{number}",
        "agenda",
        lambda tr: amendment_text(sitting, change, number, tz, tr),
        now,
    )
    return number


def adopt(svc: Services, sitting: Sitting, now: datetime) -> int:
    """Bring waiting items into this sitting: carried ones of its kind, escalated ones for
    a coordination-group meeting; only from sittings that started before this one."""
    meeting = sitting.meeting
    found = agenda.waiting(svc.db, "carry", (meeting.kind,), sitting.start)
    if meeting.kind == ESCALATE_TO:
        found += agenda.waiting(svc.db, "escalate", ESCALATE_FROM, sitting.start)
    for item in found:
        new_id = agenda.add_item(
            svc.db,
            meeting_id=meeting.id,
            occ=sitting.key,
            meeting_kind=meeting.kind,
            sitting_start=sitting.start,
            title=item.title,
            kind="deliberation" if item.forward == "escalate" else item.kind,
            major=item.major,
            project=item.project,
            minutes=item.minutes,
            submitter=item.submitter,
            unit_code=item.unit_code,
            late=False,
            now=now,
            origin="escalated" if item.forward == "escalate" else "carried",
            origin_id=item.id,
        )
        agenda.set_forwarded(svc.db, item.id, item.forward or "carry", new_id)
    if found:
        amend(svc, sitting, now)
        arm(svc, meeting, now)
    return len(found)


def _next_sitting(svc: Services, kind: str, after: datetime, now: datetime) -> Sitting | None:
    nxt = meetings.next_of_kind(svc.db, kind, max(after, now))
    if nxt is None:
        return None
    return sitting_at(nxt, nxt.rsvp_key)


def carry(svc: Services, sitting: Sitting, now: datetime) -> int:
    """Move this sitting's unreached open items to the next sitting of the same kind."""
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


def escalate(svc: Services, sitting: Sitting, now: datetime) -> int:
    """Send this sitting's #major items up to the next coordination-group meeting."""
    db = svc.db
    found = [
        i
        for i in agenda.items(db, sitting.meeting.id, sitting.key)
        if escalates(sitting.meeting.kind, i.major, i.state)
    ]
    for item in found:
        agenda.set_waiting(db, item.id, "escalate")
    if not found:
        return 0
    target = _next_sitting(svc, ESCALATE_TO, sitting.end, now)
    if target is not None:
        adopt(svc, target, now)
        return len(found)
    to_admins(svc, f"agesc:{sitting.ref}", "notice", lambda tr: unplaced_notice(found, tr), now)
    return len(found)


def arm(svc: Services, meeting: Meeting, now: datetime, live: bool = True) -> None:
    """Ensure the publish/close/carry rows of the meeting's current sitting (and the next
    one of a series), cancelling rows left over from before the meeting moved. A sitting
    with nothing on its agenda and nothing coming to it gets no rows."""
    prefix = f"{meeting.id}."
    current = f"{meeting.id}.{meeting.version}."
    for kind in (PUBLISH, CLOSE, CARRY):
        for job in schedule.pending_with_prefix(svc.db, kind, prefix):
            if not job.ref.startswith(current):
                if live:
                    svc.scheduler.cancel(kind, job.ref)
                else:
                    schedule.finish(svc.db, job.id, "cancelled", now, "meeting changed")
    if meeting.cancelled:
        return
    sitting = choose_sitting(meeting, now)
    sittings = [sitting] if sitting else []
    if sitting and meeting.is_series:
        sittings += [
            sitting_at(meeting, meeting.at(s).rsvp_key)
            for s in meeting.starts(sitting.start + meeting.duration, 1)
        ]
    for s in sittings:
        ref = f"{current}{s.key or '-'}"
        has_items = bool(agenda.items(svc.db, meeting.id, s.key))
        plan = [(CLOSE, s.end), (CARRY, s.end + MINUTES_GRACE)] if has_items else []
        if has_items or _incoming(svc, s):
            plan.append((PUBLISH, s.start - svc.config.agenda_publish_before))
        for kind, due in plan:
            if due > now and schedule.find(svc.db, kind, ref) is None:
                if live:
                    svc.scheduler.put(kind, ref, due)
                else:
                    schedule.put(svc.db, kind, ref, due, now)


def _incoming(svc: Services, sitting: Sitting) -> bool:
    """Whether a sitting with no items of its own still has an agenda to publish: matters
    arising, or items waiting to be carried or escalated to it."""
    kind, start = sitting.meeting.kind, sitting.start
    if actions.arising(svc.db, kind, start) or agenda.waiting(svc.db, "carry", (kind,), start):
        return True
    return kind == ESCALATE_TO and bool(agenda.waiting(svc.db, "escalate", ESCALATE_FROM, start))


def _job_sitting(svc: Services, job: Job, now: datetime) -> Sitting | str:
    """The sitting a row is about, or why it no longer applies."""
    parts = job.ref.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return "malformed ref"
    meeting = meetings.get_meeting(svc.db, int(parts[0]), now)
    if meeting is None or meeting.cancelled:
        return "meeting cancelled"
    if int(parts[1]) != meeting.version:
        arm(svc, meeting, now)
        return "meeting changed"
    key = "" if parts[2] == "-" else parts[2]
    if key and key in meeting.exdates:
        return "occurrence cancelled"
    return sitting_at(meeting, key)


def _fire(
    action: Callable[[Services, Sitting, datetime], FireResult],
) -> Callable[..., FireResult]:
    def fire(svc: Services, job: Job, now: datetime) -> FireResult:
        found = _job_sitting(svc, job, now)
        if isinstance(found, str):
            return "cancelled", found
        arm(svc, found.meeting, now)
        return action(svc, found, now)

    return fire


def _publish_job(svc: Services, sitting: Sitting, now: datetime) -> FireResult:
    if now >= sitting.start:
        return "missed", "the meeting had started"
    adopt(svc, sitting, now)
    if not agenda.items(svc.db, sitting.meeting.id, sitting.key) and not actions.arising(
        svc.db, sitting.meeting.kind, sitting.start
    ):
        return "done", "nothing to publish"
    return "done", "published" if publish(svc, sitting, now) else "already published"


def _close_job(svc: Services, sitting: Sitting, now: datetime) -> FireResult:
    return "done", f"escalated {escalate(svc, sitting, now)}"


def _carry_job(svc: Services, sitting: Sitting, now: datetime) -> FireResult:
    if minutes.publication(svc.db, sitting.meeting.id, sitting.key) is not None:
        return "done", "carried at publication"
    return "done", f"carried {carry(svc, sitting, now)}"


FIRERS = {PUBLISH: _fire(_publish_job), CLOSE: _fire(_close_job), CARRY: _fire(_carry_job)}


def rearm_all(svc: Services) -> None:
    """At start-up: rows for every active meeting's sittings, and waiting items adopted."""
    now = svc.clock.now()
    with transaction(svc.db):
        for meeting in meetings.active(svc.db, now):
            arm(svc, meeting, now, live=False)
