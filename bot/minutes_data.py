"""Gathering a sitting's minutes from storage as plain data for the renderers."""

from __future__ import annotations

from sqlite_utils import Database

from bot.agenda_rules import Sitting
from bot.render.minutes import MinutesData
from storage import actions, agenda, minutes, people, rsvps


def compile_minutes(db: Database, sitting: Sitting) -> MinutesData:
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
        unit_names={u.code.upper(): u.name for u in people.list_units(db)},
        items=agenda.items(db, mid, key),
        decisions=minutes.decisions(db, mid, key),
        actions=actions.for_sitting(db, mid, key),
        publication=minutes.publication(db, mid, key),
        corrections=minutes.corrections(db, mid, key),
    )
