"""Time polls: offer a meeting's possible times, let each unit mark those it can make,
remind the units that stay silent once, and close by scheduling the meeting.

The units asked are the units registered when the poll opens. Any of a unit's people
answers for it: a slot's button marks it for the unit and a second press unmarks it; "none
of these" clears the unit's marks and still counts as an answer. The card is a notice to
the chat the poll was opened in (`poll-card:<poll>`), so its message is known: each press
edits the card pressed on, and closing redraws every card and reminder without buttons.

The reminder (job kind `poll_reminder`, ref: the poll id) is due 24 hours after the poll
opens, or halfway to its first time if that comes sooner, so a unit reminded still has half
the time left; it goes once, privately, to the staff of each unit that has not answered,
with the card's buttons. It is a row in `schedule`, so it survives restarts; one that fires
late still goes while a time offered lies ahead, and is recorded missed otherwise.

Closing creates the meeting through bot.services.meetings (reminders and agenda planned as
for any meeting) at the slot chosen — by default the one most units can make, the earliest
on a tie, among the slots still ahead — invites the units asked and announces it to the
chats subscribed to `meetings` and the poll's chat; the chat the command came from gets it
as the reply instead. A button's payload is `<poll id>:<slot no>` (0: none of these).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.domain.timeparse import When
from bot.i18n import Tr
from bot.render.dates import show_datetime
from bot.render.meeting_warnings import ScheduleCheck
from bot.render.polls import (
    PollCard,
    card_text,
    none_button,
    reminder_text,
    scheduled_notice,
    slot_button,
)
from bot.render.units import unit_names
from bot.services import Services, meetings, notify
from bot.services.agenda import Audit
from bot.services.notify import ButtonRows
from bot.services.poll_refusals import (
    AllPassed,
    AlreadyClosed,
    NoPoll,
    NoSlot,
    NotAsked,
    NoUnit,
    NoUnits,
    PollClosed,
    PollGone,
    SameTimeTwice,
    SlotPassed,
)
from storage import polls
from storage.people import Person
from storage.polls import Poll
from storage.schedule import Job, JobState

ACTION = "poll"
REMINDER = "poll_reminder"
REMIND_AFTER = timedelta(hours=24)
MIN_SLOTS, MAX_SLOTS = 2, 10


def reminder_ref(poll_id: int) -> str:
    """The reminder's job reference: the poll id."""
    return str(poll_id)


def parse_reminder_ref(ref: str) -> int | None:
    """The poll a reminder's reference names."""
    return int(ref) if ref.isdigit() else None


def reminder_due(opened: datetime, first_start: datetime) -> datetime:
    """24 hours after opening, or halfway to the first time offered if that is sooner."""
    return opened + min(REMIND_AFTER, (first_start - opened) / 2)


def payload(poll_id: int, number: int) -> str:
    """A slot button's payload (number 0: none of these times)."""
    return f"{poll_id}:{number}"


def parse_payload(text: str) -> tuple[int, int] | None:
    """(poll id, slot number) from a button's payload, or None."""
    ident, _, number = text.partition(":")
    if not ident.isdigit() or not number.isdigit():
        return None
    return int(ident), int(number)


def load(svc: Services, poll: Poll) -> PollCard:
    """Everything a poll's card shows."""
    db = svc.db
    return PollCard(
        poll,
        polls.slots(db, poll.id),
        polls.marks(db, poll.id),
        polls.units(db, poll.id),
        polls.answered(db, poll.id),
        unit_names(db),
    )


def buttons(card: PollCard, tr: Tr, tz: ZoneInfo) -> ButtonRows:
    """One button per time (with how many units can make it), then "none of these"."""
    rows = [
        [
            {
                "text": slot_button(slot, len(card.marks.get(slot.number, [])), tz, tr),
                "action": ACTION,
                "payload": payload(card.poll.id, slot.number),
            }
        ]
        for slot in card.slots
    ]
    rows.append([{"text": none_button(tr), "action": ACTION, "payload": payload(card.poll.id, 0)}])
    return rows


def open_poll(
    svc: Services,
    *,
    kind: str,
    title: str,
    slots: list[When],
    who: Person,
    chat_id: int,
    now: datetime,
    audit: Audit = None,
) -> PollCard:
    """Open a poll over the times given (numbered in time order), asking every registered
    unit; post its card in the chat and plan the reminder."""
    units = sorted(unit_names(svc.db))
    if not units:
        raise NoUnits()
    ordered = sorted(slots, key=lambda w: w.start)
    tz = svc.config.tz
    starts = [w.start for w in ordered]
    twice = next((s for s in starts if starts.count(s) > 1), None)
    if twice is not None:
        raise SameTimeTwice(when=lambda tr: show_datetime(twice, tz, tr))
    poll = polls.create(
        svc.db,
        kind=kind,
        title=title,
        chat_id=chat_id,
        slots=[(w.start, w.end) for w in ordered],
        units=units,
        by=who.user_id,
        now=now,
    )
    svc.scheduler.put(REMINDER, reminder_ref(poll.id), reminder_due(now, ordered[0].start))
    card = load(svc, poll)
    notify.notify(
        svc,
        [chat_id],
        f"poll-card:{poll.id}",
        "card",
        lambda tr: card_text(card, tz, tr),
        now,
        buttons=lambda tr: buttons(card, tr, tz),
    )
    if audit is not None:
        audit.update(poll=poll.id, slots=[w.start.isoformat() for w in ordered], units=units)
    return card


@dataclass(frozen=True)
class Answered:
    """A unit's answer recorded: the card as it now stands, and whether the slot pressed
    is now marked (None: "none of these")."""

    card: PollCard
    unit: str
    marked: bool | None


def answer(
    svc: Services, poll_id: int, number: int, who: Person, now: datetime, audit: Audit = None
) -> Answered:
    """Toggle slot `number` for `who`'s unit, or (number 0) say none of the times suits."""
    poll = polls.get(svc.db, poll_id)
    if poll is None:
        raise PollGone()
    if poll.closed:
        raise PollClosed(load(svc, poll))
    card = load(svc, poll)
    if number and number not in {s.number for s in card.slots}:
        raise PollGone()
    unit = (who.unit_code or "").upper()
    if not unit:
        raise NoUnit()
    if unit not in card.units:
        raise NotAsked(unit=unit, id=poll_id)
    marked: bool | None = None
    if number:
        marked = polls.toggle(svc.db, poll_id, number, unit, who.user_id, now)
    else:
        polls.none_suits(svc.db, poll_id, unit, who.user_id, now)
    if audit is not None:
        audit.update(poll=poll_id, unit=unit, slot=number, marked=marked)
    return Answered(load(svc, poll), unit, marked)


@dataclass(frozen=True)
class Closed:
    """The poll closed on a slot, the meeting made from it and the warnings about it."""

    card: PollCard
    meeting: Meeting
    check: ScheduleCheck
    audit: dict[str, Any] = field(default_factory=dict)


def best_slot(card: PollCard, now: datetime) -> int | None:
    """The slot still ahead that most units can make, the earliest on a tie."""
    ahead = [s for s in card.slots if s.start > now]
    if not ahead:
        return None
    best = min(ahead, key=lambda s: (-len(card.marks.get(s.number, [])), s.start))
    return best.number


def close(
    svc: Services,
    poll_id: int,
    number: int | None,
    who: Person,
    now: datetime,
    *,
    origin: int | None = None,
    audit: Audit = None,
) -> Closed:
    """Schedule the meeting at slot `number` (default: the best slot), invite the units
    asked, announce it, close the poll and take the buttons off its cards."""
    poll = polls.get(svc.db, poll_id)
    if poll is None:
        raise NoPoll(id=poll_id)
    if poll.closed:
        raise AlreadyClosed(id=poll_id, meeting=poll.meeting_id)
    card = load(svc, poll)
    tz = svc.config.tz
    if number is None:
        number = best_slot(card, now)
        if number is None:
            raise AllPassed(id=poll_id)
    slot = next((s for s in card.slots if s.number == number), None)
    if slot is None:
        raise NoSlot(id=poll_id, no=number, n=len(card.slots))
    if slot.start <= now:
        raise SlotPassed(no=number, when=lambda tr: show_datetime(slot.start, tz, tr))
    created = meetings.create(
        svc,
        kind=poll.kind,
        title=poll.title,
        place="",
        when=When(slot.start, slot.end),
        rrule=None,
        by=who.user_id,
        now=now,
    )
    invited = meetings.invite(svc, created.meeting.id, card.units, now)
    polls.close(svc.db, poll_id, number, created.meeting.id, who.user_id, now)
    svc.scheduler.cancel(REMINDER, reminder_ref(poll_id))
    done = polls.get(svc.db, poll_id)
    assert done is not None
    final = load(svc, done)
    meeting = invited.meeting
    for cards in (f"poll-card:{poll_id}:", f"poll-reminder:{poll_id}:"):
        notify.redraw(
            svc, cards, f"poll-closed:{poll_id}", lambda tr: card_text(final, tz, tr), now
        )
    notify.notify(
        svc,
        [*notify.subscribers(svc, "meetings"), poll.chat_id],
        f"poll-scheduled:{poll_id}",
        "notice",
        lambda tr: scheduled_notice(final, meeting, tz, tr),
        now,
        exclude=origin,
    )
    if audit is not None:
        audit.update(poll=poll_id, slot=number, meeting=meeting.id)
    return Closed(final, meeting, invited.check)


def fire_reminder(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Remind, once and privately, the staff of each unit that has not answered."""
    poll_id = parse_reminder_ref(job.ref)
    poll = polls.get(svc.db, poll_id) if poll_id is not None else None
    if poll is None or poll.closed:
        return "cancelled", "the poll is closed"
    card = load(svc, poll)
    if best_slot(card, now) is None:
        return "missed", "every time offered has passed"
    tz = svc.config.tz
    count = 0
    for unit in card.silent:

        def render(tr: Tr, unit: str = unit) -> str:
            return reminder_text(card, unit, tz, tr)

        count += notify.notify(
            svc,
            notify.unit_staff(svc, unit),
            f"poll-reminder:{poll.id}:{unit}",
            "reminder",
            render,
            now,
            buttons=lambda tr: buttons(card, tr, tz),
        )
    return "done", f"{count} reminded"


FIRERS = {REMINDER: fire_reminder}
