"""The action-item service: recording actions with the minutes, closing them, listing them.

Recording one arms its reminders (bot/services/action_reminders.py: the timed rows, their
refs and firers) and re-plans the agenda of the next sitting of the same kind, which now
has matters arising to publish. Closing one cancels its pending reminders. Layers: rules
bot/domain/agenda_rules.py -> storage storage/actions.py -> this service and action_reminders.py
-> rendering bot/render/actions.py -> handlers/actions.py; the agenda's map is in
bot/services/agenda.py. Audit detail goes into the `audit` dict given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.agenda_refusals import (
    ActionClosed,
    DueBeforeMeeting,
    DueInPast,
    NoAction,
    NotActionOwner,
    UnknownOwner,
    UnknownPerson,
    UnknownUnits,
)
from bot.domain.agenda_rules import Sitting
from bot.domain.meeting_times import Meeting
from bot.domain.timeparse import HolidayCalendar, names_a_date
from bot.services import Services
from bot.services import meeting_reads as meetings
from bot.services.action_reminders import arm_action, disarm_action
from bot.services.agenda import Audit, item_at
from bot.services.agenda_timing import replan
from bot.services.holiday_calendar import load_calendar
from bot.services.minutes import recording
from storage import actions, agenda, people
from storage.actions import Action
from storage.people import Person, Unit

LISTINGS = ("open", "mine", "overdue", "all", "unit")


@dataclass(frozen=True)
class Recorded:
    """An action just recorded, and the sitting it comes from."""

    sitting: Sitting[Meeting]
    action: Action
    early: bool  # due on or before that sitting (a date written out, so meant)
    calendar: HolidayCalendar  # the working days its reminders were planned on


@dataclass(frozen=True)
class Listing:
    """Actions found by /actions: which list, and the unit for a unit's list."""

    which: str
    unit: Unit | None
    found: list[Action]


def owner_of(svc: Services, owner: str | None) -> tuple[int | None, str | None]:
    """(user id, unit code) of an owner: '@username', a unit code, or None for nobody yet."""
    if owner is None:
        return None, None
    if owner.startswith("@"):
        person = people.find_by_username(svc.db, owner)
        if person is None:
            raise UnknownPerson(owner)
        return person.user_id, None
    unit = people.get_unit(svc.db, owner)
    if unit is None:
        raise UnknownOwner(owner[:40])
    return None, unit.code.upper()


def record(
    svc: Services,
    meeting_id: int,
    number: int | None,
    owner: str | None,
    due: date,
    due_typed: str,
    text: str,
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> Recorded:
    """Record an action from a meeting's current sitting (on item `number`, or generally),
    owned by `owner` ('@username', a unit code, None: to be decided), due on `due` (read
    from `due_typed`), and arm its reminders. A due date on or before the sitting is taken
    only when written out; a relative one (下周五) that lands there is asked back."""
    sitting = recording(svc, meeting_id, who, now, audit)
    item = item_at(svc, sitting, number) if number is not None else None
    owner_user, owner_unit = owner_of(svc, owner)
    tz = svc.config.tz
    if due < now.astimezone(tz).date():
        raise DueInPast(due)
    meeting_day = sitting.start.astimezone(tz).date()
    early = due <= meeting_day
    if early and not names_a_date(due_typed):
        raise DueBeforeMeeting(sitting.meeting.id, meeting_day, due, due_typed[:40])
    action_id = actions.add_action(
        svc.db,
        meeting_id=sitting.meeting.id,
        occ=sitting.key,
        meeting_kind=sitting.meeting.kind,
        sitting_start=sitting.start,
        item_id=item.id if item else None,
        owner_user=owner_user,
        owner_unit=owner_unit,
        due=due,
        text=text,
        by=who.user_id,
        now=now,
    )
    if item is not None:
        agenda.mark_reached(svc.db, item.id)
    cal = load_calendar(svc.db)
    arm_action(svc, action_id, now, cal)
    nxt = meetings.next_of_kind(svc.db, sitting.meeting.kind, sitting.end)
    if nxt is not None:
        replan(svc, nxt, now)  # it now has matters arising to publish
    action = actions.get_action(svc.db, action_id)
    assert action is not None
    if audit is not None:
        audit.update(action=action_id, due=due.isoformat())
    return Recorded(sitting, action, early, cal)


def close(
    svc: Services, action_id: int, note: str, who: Person, now: datetime, audit: Audit = None
) -> Action:
    """Close an action (its owner, the owner unit's staff, or an admin) and cancel its
    pending reminders."""
    action = actions.get_action(svc.db, action_id)
    if action is None:
        raise NoAction(action_id)
    unit_staff = (
        action.owner_unit is not None
        and who.role == "staff"
        and (who.unit_code or "").upper() == action.owner_unit.upper()
    )
    if not (who.role == "admin" or who.user_id == action.owner_user or unit_staff):
        raise NotActionOwner(action.id)
    if not actions.close(svc.db, action.id, who.user_id, note, now):
        raise ActionClosed(action.id)
    disarm_action(svc, action.id)
    if audit is not None:
        audit.update(action=action.id, note=note)
    return action


def listing(svc: Services, which: str, who: Person, today: date, unit_code: str = "") -> Listing:
    """Action items: `open` (the default), `mine`, `overdue`, `all` including closed, or
    `unit` (those of `unit_code`)."""
    db = svc.db
    if which == "mine":
        return Listing(which, None, actions.owned_by(db, who.user_id, who.unit_code))
    if which == "overdue":
        return Listing(which, None, actions.overdue(db, today))
    if which == "all":
        return Listing(which, None, actions.all_actions(db))
    if which == "unit":
        unit = people.get_unit(db, unit_code)
        if unit is None:
            raise UnknownUnits([unit_code[:40]])
        return Listing(which, unit, actions.of_unit(db, unit.code))
    return Listing("open", None, actions.open_actions(db))
