"""When an agenda's deadlines fall, and the schedule rows planned for them (`replan`).

Each sitting has a cut-off (staff submissions close), a publication (the agenda is locked
and pushed), a close (the end: #major items go up) and a carry-over (MINUTES_GRACE after
the end: items not reached move on). The cut-off is no row: it is checked when an item is
submitted. The other three are schedule rows whose firing lives in agenda_jobs.py:

    kind            due                        ref (built and parsed only here)
    agenda_publish  deadlines().publish        <meeting id>.<version>.<occurrence key or ->
    agenda_close    the sitting's end          same
    agenda_carry    the end + MINUTES_GRACE    same

The version in the ref means a moved meeting gets fresh rows. Cut-off and publication
follow bot.agenda_rules.deadlines from the instant the sitting's time became known
(storage.agenda_sittings.notice): a meeting called at short notice gets a cut-off and a
publication inside the time it has, never before it was called.

Part of the agenda service (see bot/services/agenda.py for the map); imports no other part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.agenda_rules import (
    ESCALATE_FROM,
    ESCALATE_TO,
    MINUTES_GRACE,
    Deadlines,
    Sitting,
    choose_sitting,
    deadlines,
    sitting_at,
)
from bot.domain.meeting_times import Meeting, from_occ_key, is_occurrence
from bot.services import Services
from storage import actions, agenda, agenda_sittings, schedule
from storage.schedule import Job

PUBLISH, CLOSE, CARRY = "agenda_publish", "agenda_close", "agenda_carry"
KINDS = (PUBLISH, CLOSE, CARRY)


@dataclass(frozen=True)
class SittingRef:
    """What a publish/close/carry row is about: a meeting at a version, one sitting."""

    meeting_id: int
    version: int
    key: str  # '' for a one-off meeting


def sitting_ref(meeting: Meeting, key: str) -> str:
    """The ref of a sitting's rows: `<meeting id>.<version>.<occurrence key or ->`."""
    return f"{meeting.id}.{meeting.version}.{key or '-'}"


def parse_sitting_ref(ref: str) -> SittingRef | None:
    """A row's ref read back, or None when it is malformed."""
    parts = ref.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return SittingRef(int(parts[0]), int(parts[1]), "" if parts[2] == "-" else parts[2])


def deadlines_of(svc: Services, sitting: Sitting[Meeting], now: datetime) -> Deadlines:
    """A sitting's cut-off and publication, from when its time became known."""
    mid, key = sitting.meeting.id, sitting.key
    noticed = agenda_sittings.notice(svc.db, mid, key, sitting.start, now)
    config = svc.config
    return deadlines(sitting.start, noticed, config.agenda_cutoff, config.agenda_publish_before)


def stale(meeting: Meeting, ref: SittingRef | None) -> str | None:
    """Why a row no longer applies to the meeting as it is now, or None if it does."""
    if ref is None:
        return "malformed ref"
    if meeting.cancelled:
        return "meeting cancelled"
    if ref.version != meeting.version:
        return "meeting changed"
    if not ref.key:
        return None if not meeting.is_series else "meeting changed"
    if ref.key in meeting.exdates:
        return "occurrence cancelled"
    start = from_occ_key(ref.key)
    if start is None or not is_occurrence(meeting.first_start, meeting.rrule, meeting.zone, start):
        return "occurrence moved"
    return None


@dataclass(frozen=True)
class Known:
    """What `replan` reads, read once for a pass over every meeting (start-up): the pass
    made a dozen indexed queries per meeting, ~100 ms with 2,000 meetings."""

    pending: dict[tuple[str, str], list[Job]]  # (kind, meeting id as in the ref) -> rows
    with_items: set[tuple[int, str]]  # sittings whose agenda has items
    open_actions: dict[str, datetime]  # meeting kind -> earliest sitting of an open action
    waiting: dict[tuple[str, str], datetime]  # (forward, kind) -> earliest sitting waited from


def known(svc: Services) -> Known:
    """Read what `replan` needs for every meeting at once; valid while only replan writes."""
    pending: dict[tuple[str, str], list[Job]] = {}
    for job in schedule.pending_of_kinds(svc.db, KINDS):
        head, dot, _rest = job.ref.partition(".")
        if dot:  # as pending_with_prefix(kind, f"{id}.") finds it
            pending.setdefault((job.kind, head), []).append(job)
    return Known(
        pending,
        agenda.sittings_with_items(svc.db),
        actions.earliest_open(svc.db),
        agenda.earliest_waiting(svc.db),
    )


def replan(
    svc: Services, meeting: Meeting, now: datetime, *, live: bool = True, seen: Known | None = None
) -> None:
    """Plan the publish/close/carry rows of a meeting's current sitting (and the next one
    of a series) at their times, and disarm every pending row of an old time, a cancelled
    meeting or a cancelled or moved occurrence. Call it after a meeting is created, moved
    or cancelled, or anything lands on its agenda. A sitting with nothing on its agenda
    and nothing coming to it gets no rows.

    `live=False` (at start-up, before the scheduler is rebuilt) writes rows only; `seen`
    (from `known`) answers the reads of a pass over every meeting."""
    # The three kinds' pending rows in one statement (cancelling one kind's rows leaves
    # the others' as read): an /agenda_add made 27 statements, six of them here and in _put.
    mine = (
        []
        if seen is not None
        else schedule.pending_with_prefix_of_kinds(svc.db, KINDS, f"{meeting.id}.")
    )
    for kind in KINDS:
        if seen is not None:
            rows = seen.pending.get((kind, str(meeting.id)), [])
        else:
            rows = [job for job in mine if job.kind == kind]
        for job in rows:
            why = stale(meeting, parse_sitting_ref(job.ref))
            if why is None:
                continue
            if live:
                svc.scheduler.cancel(kind, job.ref)
            else:
                schedule.finish(svc.db, job.id, "cancelled", now, why)
    if meeting.cancelled:
        return
    sitting = choose_sitting(meeting, now)
    sittings = [sitting] if sitting else []
    if sitting and meeting.is_series:
        sittings += [
            sitting_at(meeting, meeting.at(s).rsvp_key)
            for s in meeting.starts(sitting.start + meeting.duration, 1)
        ]
    plan: list[tuple[str, str, datetime]] = []
    for s in sittings:
        ref = sitting_ref(meeting, s.key)
        if seen is not None:
            has_items = (meeting.id, s.key) in seen.with_items
        else:
            has_items = agenda.has_items(svc.db, meeting.id, s.key)
        if has_items:
            plan += [(CLOSE, ref, s.end), (CARRY, ref, s.end + MINUTES_GRACE)]
        if has_items or _incoming(svc, s, seen):
            plan.append((PUBLISH, ref, deadlines_of(svc, s, now).publish))
    ahead = [(kind, ref, due) for kind, ref, due in plan if due > now]
    # Read after the cancellations above, as one lookup per row would have.
    found = schedule.find_many(svc.db, [(kind, ref) for kind, ref, _due in ahead])
    for kind, ref, due in ahead:
        _put(svc, kind, ref, due, now, live, found.get((kind, ref)))


def arm(svc: Services, meeting: Meeting, now: datetime, live: bool = True) -> None:
    """The earlier name of `replan`, kept for callers not yet switched over."""
    replan(svc, meeting, now, live=live)


def _put(
    svc: Services, kind: str, ref: str, due: datetime, now: datetime, live: bool, job: Job | None
) -> None:
    """Create a row still ahead (`job`: its row as it stands, if any), or move a pending one
    to its new time; a row that has fired stays fired."""
    if due <= now:
        return
    if job is not None and (job.state != "pending" or job.due_at == due):
        return
    if live:
        svc.scheduler.put(kind, ref, due)
    else:
        schedule.put(svc.db, kind, ref, due, now)


def _incoming(svc: Services, sitting: Sitting[Meeting], seen: Known | None = None) -> bool:
    """Whether a sitting with no items of its own still has an agenda to publish: matters
    arising, or items waiting to be carried or escalated to it."""
    kind, start = sitting.meeting.kind, sitting.start
    if seen is not None:  # the same three questions, answered from the earliest starts
        firsts = [seen.open_actions.get(kind), seen.waiting.get(("carry", kind))]
        if kind == ESCALATE_TO:
            firsts += [seen.waiting.get(("escalate", k)) for k in ESCALATE_FROM]
        return any(first is not None and first < start for first in firsts)
    if actions.arising(svc.db, kind, start) or agenda.waiting(svc.db, "carry", (kind,), start):
        return True
    return kind == ESCALATE_TO and bool(agenda.waiting(svc.db, "escalate", ESCALATE_FROM, start))
