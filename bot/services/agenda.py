"""The agenda service: what the agenda commands do — find the sitting a command means,
submit, view, move, drop, lock and publish now.

Where each part of the agenda lives (each layer imports only the layers above it here):

    rules      bot/domain/agenda_rules.py       tags, which sitting a command means, cut-off and
                                         publication (short notice too), diffs, carry-over
                                         and escalation selection — pure
               bot/domain/agenda_refusals.py    why a change is refused — pure data
    storage    storage/agenda.py         items; storage/agenda_sittings.py: each sitting's
                                         state (locked, published, amended, carried, noticed)
    services   bot/services/agenda_timing.py   when the deadlines fall; the publish, close
                                         and carry rows (`replan`; refs built, parsed there)
               bot/services/agenda_publication.py   publish, amend, adopt waiting items
               bot/services/agenda.py    this module: the commands' operations
               bot/services/agenda_jobs.py   what the rows do when they fire: publish,
                                         escalate #major items, carry over; FIRERS
    rendering  bot/render/agenda.py      the agenda and its notices; refusals.py: refusals
    handlers   handlers/agenda.py        parse, call one function here, render

Every function takes plain values (ids, parsed arguments, who, now), does the whole change
— rows, schedule rows (through agenda_timing.replan), notices (only through
bot.services.notify) — and notes its audit detail in the `audit` dict it is given. A
refusal raises a bot.agenda_refusals.Refused; run each call in a transaction a refusal
rolls back, as bot/telegram/dispatch.py does (waiting items may have been adopted first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.agenda_refusals import (
    AgendaAlreadyPublished,
    AgendaLocked,
    AlreadyLocked,
    BadPosition,
    MeetingCancelled,
    NoItem,
    NoMeeting,
    NoSittingLeft,
    SittingOver,
    SubmissionsClosed,
    UnknownProject,
)
from bot.domain.agenda_rules import Sitting, Tagged, choose_sitting
from bot.domain.meeting_times import Meeting
from bot.render.agenda import AgendaView, dropped_notice
from bot.services import Services, notify
from bot.services import meeting_reads as meetings
from bot.services.agenda_publication import adopt, amend, gather, publish
from bot.services.agenda_timing import deadlines_of, replan
from storage import agenda, agenda_sittings, projects
from storage.agenda import Item
from storage.people import Person

Audit = dict[str, Any] | None
# `replan(svc, meeting, now)` (from agenda_timing) is the meetings service's entry point:
# after a meeting is created, moved or cancelled it re-plans everything timed on it.


@dataclass(frozen=True)
class Added:
    """An item just put on an agenda, with its number and the running total."""

    sitting: Sitting[Meeting]
    item: Item
    number: int
    total: int
    late: bool


def _note(audit: Audit, **values: Any) -> None:
    if audit is not None:
        audit.update(values)


def sitting_of(
    svc: Services, meeting_id: int, now: datetime, *, ended_ok: bool = True, audit: Audit = None
) -> Sitting[Meeting]:
    """The sitting a command about this meeting means now (bot.agenda_rules.choose_sitting),
    refusing a meeting that does not exist, was cancelled or has no sitting left, and with
    `ended_ok=False` one that has already taken place."""
    meeting = meetings.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        raise NoMeeting(meeting_id)
    if meeting.cancelled:
        raise MeetingCancelled(meeting.id)
    sitting = choose_sitting(meeting, now)
    if sitting is None:
        raise NoSittingLeft(meeting.id)
    _note(audit, meeting=meeting.id, occ=sitting.key)
    if not ended_ok and now >= sitting.end:
        raise SittingOver(meeting.id)
    return sitting


def item_at(svc: Services, sitting: Sitting[Meeting], number: int) -> Item:
    """The item shown as `number` on a sitting's agenda."""
    item = agenda.item_by_number(svc.db, sitting.meeting.id, sitting.key, number)
    if item is None:
        raise NoItem(sitting.meeting.id, number)
    return item


def submit(
    svc: Services,
    meeting_id: int,
    tagged: Tagged,
    project: str | None,
    minutes: int | None,
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> Added:
    """Put an item on a meeting's current agenda; after the cut-off or the lock only an
    admin may, and the item is marked late."""
    if project:
        known = projects.get_project(svc.db, project)
        if known is None:
            raise UnknownProject(project)
        project = known.code
    sitting = sitting_of(svc, meeting_id, now, ended_ok=False, audit=audit)
    adopt(svc, sitting, now)
    state = agenda_sittings.state_of(svc.db, sitting.meeting.id, sitting.key)
    cut = deadlines_of(svc, sitting, now).cutoff
    late = now >= cut or state.locked_at is not None
    if late and who.role != "admin":
        if state.locked_at is not None:
            raise AgendaLocked(sitting.meeting.id)
        raise SubmissionsClosed(sitting.meeting.id, cut)
    item_id = agenda.add_item(
        svc.db,
        meeting_id=sitting.meeting.id,
        occ=sitting.key,
        meeting_kind=sitting.meeting.kind,
        sitting_start=sitting.start,
        title=tagged.title,
        kind=tagged.kind,
        major=tagged.major,
        project=project or None,
        minutes=minutes,
        submitter=who.user_id,
        unit_code=who.unit_code,
        late=late,
        now=now,
    )
    replan(svc, sitting.meeting, now)
    amend(svc, sitting, now)
    _note(audit, item=item_id, late=late)
    item = agenda.get_item(svc.db, item_id)
    assert item is not None
    number, total = agenda.standing(svc.db, sitting.meeting.id, sitting.key, item_id)
    return Added(sitting, item, number, total, late)


def view(svc: Services, meeting_id: int, now: datetime) -> AgendaView:
    """A meeting's current agenda as it stands (waiting items it should hold adopted)."""
    sitting = sitting_of(svc, meeting_id, now)
    adopt(svc, sitting, now)
    return gather(svc, sitting, now)


def move_item(
    svc: Services, meeting_id: int, number: int, position: int, now: datetime, audit: Audit = None
) -> AgendaView:
    """Move an item to a new position; a published agenda gets an amendment."""
    sitting = sitting_of(svc, meeting_id, now, audit=audit)
    item = item_at(svc, sitting, number)
    found = [i.id for i in agenda.items(svc.db, sitting.meeting.id, sitting.key)]
    if not 1 <= position <= len(found):
        raise BadPosition(len(found))
    found.remove(item.id)
    found.insert(position - 1, item.id)
    agenda.reorder(svc.db, found)
    amend(svc, sitting, now)
    _note(audit, item=item.id, position=position)
    return gather(svc, sitting, now)


def drop_item(
    svc: Services, meeting_id: int, number: int, reason: str, now: datetime, audit: Audit = None
) -> tuple[Sitting[Meeting], Item]:
    """Take an item off the agenda and tell its submitter privately why."""
    sitting = sitting_of(svc, meeting_id, now, audit=audit)
    item = item_at(svc, sitting, number)
    agenda.drop(svc.db, item.id, reason)
    if item.submitter is not None:
        tz = svc.config.tz
        notify.notify(
            svc,
            [item.submitter],
            f"agenda-dropped:{item.id}",
            "notice",
            lambda tr: dropped_notice(sitting, item, reason, tz, tr),
            now,
        )
    amend(svc, sitting, now)
    _note(audit, item=item.id, reason=reason)
    return sitting, item


def lock(svc: Services, meeting_id: int, now: datetime, audit: Audit = None) -> Sitting[Meeting]:
    """Close a meeting's current agenda to staff submissions."""
    sitting = sitting_of(svc, meeting_id, now, ended_ok=False, audit=audit)
    if not agenda_sittings.lock(svc.db, sitting.meeting.id, sitting.key, now):
        raise AlreadyLocked(sitting.meeting.id)
    return sitting


def publish_now(
    svc: Services, meeting_id: int, now: datetime, audit: Audit = None
) -> Sitting[Meeting]:
    """Lock a meeting's current agenda and push it to the group chats now."""
    sitting = sitting_of(svc, meeting_id, now, ended_ok=False, audit=audit)
    state = agenda_sittings.state_of(svc.db, sitting.meeting.id, sitting.key)
    if state.published_at is not None:
        raise AgendaAlreadyPublished(sitting.meeting.id, state.published_at)
    publish(svc, sitting, now)
    return sitting
