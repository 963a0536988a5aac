"""The minutes service: attendance, decisions, publication once, corrections, and who may
record (admins, and staff of the secretariat unit set with /secretariat).

Published minutes are frozen; afterwards only a dated correction is appended and pushed,
so they cannot be published while a vote on one of their items is open (bot.services.votes).
Publishing carries the items not reached over to the next sitting of the same kind (the
agenda's carry-over, bot.services.agenda_jobs). `compile_minutes` gathers everything the
renderers (bot/render/minutes.py, minutes_doc.py) show. Layers: rules bot/domain/agenda_rules.py
-> storage storage/minutes.py -> this service -> rendering -> handlers/minutes.py; the
agenda's map is in bot/services/agenda.py. Audit detail goes into the `audit` dict given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from bot.domain.agenda_refusals import (
    MinutesAlreadyPublished,
    MinutesFrozen,
    MinutesNotPublished,
    NotRecorder,
    NotStarted,
    UnknownUnits,
    VotesOpen,
)
from bot.domain.agenda_rules import Sitting
from bot.domain.meeting_times import Meeting
from bot.render.minutes import MinutesData, correction_notice, minutes_text
from bot.render.units import unit_names
from bot.services import Services, notify
from bot.services.agenda import Audit, item_at, sitting_of
from bot.services.agenda_jobs import carry
from storage import actions, agenda, minutes, people, rsvps, votes
from storage.agenda import Item
from storage.minutes import Correction, Publication
from storage.people import Person, Unit


@dataclass(frozen=True)
class Attendance:
    """The units recorded present, with every unit's name for showing them."""

    sitting: Sitting[Meeting]
    codes: list[str]
    names: dict[str, str]


@dataclass(frozen=True)
class Decided:
    """A decision just recorded, on an item or (item None) on the meeting generally."""

    sitting: Sitting[Meeting]
    item: Item | None
    text: str


def compile_minutes(db: Database, sitting: Sitting[Meeting]) -> MinutesData:
    """Gather a sitting's minutes; attendance falls back to the units that RSVP'd yes."""
    mid, key = sitting.meeting.id, sitting.key
    present = minutes.attendance(db, mid, key)
    from_rsvps = not present
    answers = rsvps.rsvps(db, mid, key)
    if from_rsvps:
        present = sorted(
            {
                a.unit_code.upper()
                for a in answers
                if a.unit_code and a.answer in ("attend", "delegate")
            }
        )
    return MinutesData(
        sitting=sitting,
        attendance=present,
        from_rsvps=from_rsvps,
        delegates=[a for a in answers if a.answer == "delegate" and a.delegate],
        unit_names=unit_names(db),
        items=agenda.items(db, mid, key),
        decisions=minutes.decisions(db, mid, key),
        actions=actions.for_sitting(db, mid, key),
        publication=minutes.publication(db, mid, key),
        corrections=minutes.corrections(db, mid, key),
        votes=votes.results(db, mid, key),
    )


def may_record(svc: Services, who: Person) -> None:
    """Refuse unless `who` is an admin or staff of the secretariat unit."""
    if who.role == "admin":
        return
    unit = minutes.secretariat_unit(svc.db)
    if unit is None or who.role != "staff" or (who.unit_code or "").upper() != unit:
        raise NotRecorder()


def recording(
    svc: Services, meeting_id: int, who: Person, now: datetime, audit: Audit = None
) -> Sitting[Meeting]:
    """The sitting `who` records minutes of: refused for anyone else, or once published."""
    may_record(svc, who)
    sitting = sitting_of(svc, meeting_id, now, audit=audit)
    if minutes.publication(svc.db, sitting.meeting.id, sitting.key) is not None:
        raise MinutesFrozen(sitting.meeting.id)
    return sitting


def record_attendance(
    svc: Services,
    meeting_id: int,
    codes: list[str],
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> Attendance:
    """Record the units present (replacing any earlier list)."""
    sitting = recording(svc, meeting_id, who, now, audit)
    unknown = [c for c in codes if people.get_unit(svc.db, c) is None]
    if unknown:
        raise UnknownUnits(unknown)
    minutes.set_attendance(svc.db, sitting.meeting.id, sitting.key, codes, who.user_id, now)
    if audit is not None:
        audit["units"] = codes
    return Attendance(sitting, codes, unit_names(svc.db))


def record_decision(
    svc: Services,
    meeting_id: int,
    number: int | None,
    text: str,
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> Decided:
    """Record a decision, on item `number` or on the meeting generally. A decided item is
    reached, and one that was waiting to go up or be carried stays where it was decided."""
    sitting = recording(svc, meeting_id, who, now, audit)
    item = item_at(svc, sitting, number) if number is not None else None
    decision_id = minutes.add_decision(
        svc.db, sitting.meeting.id, sitting.key, item.id if item else None, text, who.user_id, now
    )
    if item is not None:
        agenda.mark_reached(svc.db, item.id)
        agenda.stop_waiting(svc.db, item.id)
    if audit is not None:
        audit.update(decision=decision_id, item=item.id if item else None)
    return Decided(sitting, item, text)


def draft(svc: Services, meeting_id: int, now: datetime) -> MinutesData:
    """The minutes of a meeting's current sitting (the draft until published)."""
    return compile_minutes(svc.db, sitting_of(svc, meeting_id, now))


def publish(
    svc: Services, meeting_id: int, who: Person, now: datetime, audit: Audit = None
) -> tuple[Sitting[Meeting], Publication]:
    """Freeze the minutes under the year's next number, carry the items not reached over
    and push the minutes to the chats subscribed to `meetings`."""
    sitting = sitting_of(svc, meeting_id, now, audit=audit)
    done = minutes.publication(svc.db, sitting.meeting.id, sitting.key)
    if done is not None:
        raise MinutesAlreadyPublished(sitting.meeting.id, done.number)
    if now < sitting.start:
        raise NotStarted(sitting.meeting.id)
    open_items = {v.item_id for v in votes.still_open(svc.db, sitting.meeting.id, sitting.key)}
    if open_items:  # a result still changing cannot go into frozen minutes
        listed = agenda.items(svc.db, sitting.meeting.id, sitting.key)
        numbers = [n for n, i in enumerate(listed, start=1) if i.id in open_items]
        raise VotesOpen(sitting.meeting.id, numbers)
    tz = svc.config.tz
    year = sitting.start.astimezone(tz).year
    pub = minutes.publish(svc.db, sitting.meeting.id, sitting.key, year, who.user_id, now)
    carry(svc, sitting, now)
    today = now.astimezone(tz).date()
    notify.notify(
        svc,
        notify.subscribers(svc, "meetings"),
        f"minutes-published:{sitting.ref}",
        "minutes",
        lambda tr: minutes_text(compile_minutes(svc.db, sitting), tz, tr, today),
        now,
    )
    if audit is not None:
        audit.update(year=pub.year, number=pub.number)
    return sitting, pub


def correct(
    svc: Services, meeting_id: int, text: str, who: Person, now: datetime, audit: Audit = None
) -> tuple[MinutesData, Correction]:
    """Append a dated correction to published minutes and push it."""
    may_record(svc, who)
    sitting = sitting_of(svc, meeting_id, now, audit=audit)
    if minutes.publication(svc.db, sitting.meeting.id, sitting.key) is None:
        raise MinutesNotPublished(sitting.meeting.id)
    cid = minutes.add_correction(svc.db, sitting.meeting.id, sitting.key, text, who.user_id, now)
    data = compile_minutes(svc.db, sitting)
    correction = next(c for c in data.corrections if c.id == cid)
    tz = svc.config.tz
    notify.notify(
        svc,
        notify.subscribers(svc, "meetings"),
        f"minutes-corrected:{cid}",
        "minutes",
        lambda tr: correction_notice(data, correction, tz, tr),
        now,
    )
    if audit is not None:
        audit["correction"] = cid
    return data, correction


def secretariat(svc: Services) -> Unit | None:
    """The unit whose staff record minutes (None: admins only)."""
    code = minutes.secretariat_unit(svc.db)
    if code is None:
        return None
    unit = people.get_unit(svc.db, code)
    return Unit(code, unit.name if unit else "")


def set_secretariat(svc: Services, code: str | None, audit: Audit = None) -> Unit | None:
    """Set (a registered unit) or clear (None) the secretariat unit; return it."""
    unit = None
    if code is not None:
        found = people.get_unit(svc.db, code)
        if found is None:
            raise UnknownUnits([code[:40]])
        unit = Unit(found.code.upper(), found.name)
    minutes.set_secretariat_unit(svc.db, unit.code if unit else None)
    if audit is not None:
        audit["secretariat"] = unit.code if unit else None
    return unit
