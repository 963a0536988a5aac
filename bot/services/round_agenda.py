"""A report's "items needing coordination", offered to the secretariat: the admins get a
notice (key `round-coord:<report>`) naming the next joint meeting, or saying none is
scheduled, with a button that puts the items on that meeting's agenda through the agenda
service's submit, once, in the reporting unit's name.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain.agenda_rules import Tagged
from bot.i18n import N_, Tr
from bot.render import rounds as render
from bot.services import agenda, notify
from bot.services import meeting_reads as meetings
from bot.services.people import unit_names
from bot.services.refused import Refused
from storage import round_reports as stored
from storage.agenda import Item
from storage.people import Person
from storage.projects import Project
from storage.round_reports import Report

if TYPE_CHECKING:
    from bot.services import Services

AGENDA_BUTTON = "rd_agenda"
JOINT = "joint"


class ReportGone(Refused):
    """A coordination button whose report does not exist."""

    message = N_("This button is not valid any more.")


class AlreadyOnAgenda(Refused):
    """A coordination request already put on an agenda."""

    message = N_("Already on the agenda of meeting #{id}.")


class NoJointMeeting(Refused):
    """No joint meeting to put a coordination request on."""

    message = N_(
        "No joint meeting is scheduled, so the item cannot go on an agenda yet. "
        "Schedule one with /meeting_new joint, then press again."
    )


@dataclass(frozen=True)
class OnAgenda:
    """A coordination request put on a joint meeting's agenda."""

    report: Report
    meeting_id: int
    title: str
    item: Item
    number: int
    audit: dict[str, Any] = field(default_factory=dict)


def offer(svc: Services, row: Report, project: Project, now: datetime) -> None:
    """Offer a report's items needing coordination to the admins, naming the next joint
    meeting (or saying there is none yet), with a button to put them on its agenda."""
    names, tz = unit_names(svc), svc.config.tz
    joint = meetings.next_of_kind(svc.db, JOINT, now)

    def text(tr: Tr) -> str:
        return render.coordination_notice(tr, tz, row, project, names, joint)

    def buttons(tr: Tr) -> list[list[dict[str, str]]]:
        label = tr("Put on the next joint meeting's agenda")
        return [[{"text": label, "action": AGENDA_BUTTON, "payload": str(row.id)}]]

    key = f"round-coord:{row.id}"
    notify.notify(svc, notify.admins(svc), key, "notice", text, now, buttons=buttons)


def to_agenda(svc: Services, report_id: int | None, by: Person, now: datetime) -> OnAgenda:
    """Put a report's items needing coordination on the next joint meeting's agenda, once,
    in the reporting unit's name (the admin who pressed is the submitter)."""
    row = stored.get_report(svc.db, report_id) if report_id is not None else None
    if row is None or not row.coordination:
        raise ReportGone()
    if row.agenda_meeting_id is not None:
        raise AlreadyOnAgenda(id=row.agenda_meeting_id)
    joint = meetings.next_of_kind(svc.db, JOINT, now)
    if joint is None:
        raise NoJointMeeting()
    audit: dict[str, Any] = {"report": row.id}
    title = render.agenda_title(row)
    on_behalf = dataclasses.replace(by, unit_code=row.unit_code)
    added = agenda.submit(
        svc, joint.id, Tagged(title, "study", False), row.project_code, None, on_behalf, now, audit
    )
    stored.set_agenda_item(svc.db, row.id, added.sitting.meeting.id, added.item.id)
    return OnAgenda(row, added.sitting.meeting.id, joint.title, added.item, added.number, audit)
