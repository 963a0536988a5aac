"""Time-poll texts (pure): the card with the units that can make each time, its buttons'
labels, the reminder to units that have not answered, and the meeting announced at close."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.i18n import Tr
from bot.render.dates import show_datetime, show_span
from bot.render.meeting import heading, kind_name
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from storage.polls import Poll, Slot


@dataclass(frozen=True)
class PollCard:
    """What a poll's card shows: its slots, which units can make each, who was asked and
    who has answered, and every unit's name."""

    poll: Poll
    slots: list[Slot]
    marks: dict[int, list[str]]
    units: list[str]
    answered: list[str]
    names: dict[str, str]

    @property
    def silent(self) -> list[str]:
        """The units asked that have not answered."""
        return [u for u in self.units if u not in self.answered]

    @property
    def none_suits(self) -> list[str]:
        """The units that answered and can make none of the times."""
        marked = {u for codes in self.marks.values() for u in codes}
        return [u for u in self.answered if u not in marked]


def _title(card: PollCard, tr: Tr) -> str:
    poll = card.poll
    values = {"id": poll.id, "kind": esc(kind_name(tr, poll.kind)), "title": esc(poll.title)}
    if poll.closed:
        return tr("📅 <b>Time poll #{id} closed</b> — {kind}: {title}", **values)
    return tr("📅 <b>Time poll #{id}</b> — {kind}: {title}", **values)


def slot_line(card: PollCard, slot: Slot, tz: ZoneInfo, tr: Tr) -> str:
    """One time with the units that can make it."""
    when = show_span(slot.start, slot.end, tz, tr)
    codes = card.marks.get(slot.number, [])
    listed = esc(tr.join(codes))  # not inside the call: Babel misreads a nested tr.join(
    if codes:
        line = tr.ngettext(
            "{no}. {when} — {n} unit: {codes}",
            "{no}. {when} — {n} units: {codes}",
            len(codes),
            no=slot.number,
            when=when,
            codes=listed,
        )
    else:
        line = tr("{no}. {when} — none yet", no=slot.number, when=when)
    return f"✅ {line}" if card.poll.chosen == slot.number else line


def card_text(card: PollCard, tz: ZoneInfo, tr: Tr) -> str:
    """The poll card: the times with the units that can make each, and who has answered."""
    lines = [_title(card, tr)]
    if not card.poll.closed:
        lines.append(
            tr(
                "Mark every time your unit can make; press a time again to unmark it. "
                "Any of a unit's people answers for it."
            )
        )
    lines.append("")
    lines += [slot_line(card, slot, tz, tr) for slot in card.slots]
    lines.append("")
    lines.append(
        tr.ngettext(
            "Answered: {answered} of {n} unit.",
            "Answered: {answered} of {n} units.",
            len(card.units),
            answered=len(card.answered),
        )
    )
    if card.none_suits:
        none = esc(tr.join(card.none_suits))
        lines.append(tr("None of the times suits: {codes}", codes=none))
    if card.silent and not card.poll.closed:
        silent = esc(tr.join(card.silent))
        lines.append(tr("Not answered yet: {codes}", codes=silent))
    if card.poll.meeting_id is not None:
        lines.append(tr("Scheduled as meeting #{id}: /meeting {id}", id=card.poll.meeting_id))
    return "\n".join(lines)


def slot_button(slot: Slot, count: int, tz: ZoneInfo, tr: Tr) -> str:
    """A slot's button (plain text): its number, start and how many units can make it."""
    when = show_datetime(slot.start, tz, tr)
    return tr("{no}. {when} ({count})", no=slot.number, when=when, count=count)


def none_button(tr: Tr) -> str:
    """The button of a unit that can make none of the times."""
    return tr("🚫 None of these times")


def reminder_text(card: PollCard, unit: str, tz: ZoneInfo, tr: Tr) -> str:
    """The reminder to a unit that has not answered: the card with a line on top."""
    return "\n".join(
        [
            tr(
                "⏰ {unit} has not answered time poll #{id} yet. Mark the times it can make here.",
                unit=unit_label(tr, unit, card.names),
                id=card.poll.id,
            ),
            "",
            card_text(card, tz, tr),
        ]
    )


def scheduled_notice(card: PollCard, meeting: Meeting, tz: ZoneInfo, tr: Tr) -> str:
    """The meeting made from a poll, announced to the group and given as the reply."""
    chosen = card.poll.chosen or 0
    codes = card.marks.get(chosen, [])
    asked = len(card.units)
    listed = esc(tr.join(codes))
    if codes:
        can = tr.ngettext(
            "Can make it: {count} of the {n} unit asked ({codes}).",
            "Can make it: {count} of the {n} units asked ({codes}).",
            asked,
            count=len(codes),
            codes=listed,
        )
    else:
        can = tr.ngettext(
            "None of the {n} unit asked marked this time.",
            "None of the {n} units asked marked this time.",
            asked,
        )
    invited = unit_labels(tr, card.units, card.names)
    return "\n".join(
        [
            tr("📅 Meeting scheduled from time poll #{id}", id=card.poll.id),
            heading(meeting, tz, tr),
            can,
            tr("Invited to #{id}: {units}.", id=meeting.id, units=invited),
            tr("Answer with /meeting {id}.", id=meeting.id),
        ]
    )
