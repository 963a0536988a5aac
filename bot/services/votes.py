"""Votes by unit on an agenda item: open (and post the card), cast, close into the minutes.

Who opens and closes a vote is who records minutes (bot.services.minutes.may_record: the
admins and the secretariat unit's staff), on the meeting's current sitting, while its
minutes are not published. One vote per unit invited to the meeting (every registered unit
when the meeting invites all): any of the unit's people casts it, by button or /vote_cast,
and the last choice counts until the vote closes. Closing freezes the units that could vote
and their ballots; the item counts as dealt with (as a decision on it does), and the result
goes into the minutes under it.

The card is a notice to the chat the vote was opened in (`vote-card:<vote>:<posting>`), so
the outbox records the message it landed in: a press edits it with the new tally, and
closing redraws every posting without buttons (bot.services.notify.redraw). A button's
payload is `<vote id>:<a|x|s>` (`payload` / `parse_payload`), far inside the 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.agenda_rules import sitting_at
from bot.i18n import N_, Tr
from bot.render.units import unit_names
from bot.render.votes import VoteCard, button_label, card_text
from bot.services import Services, meeting_reads, minutes, notify
from bot.services.agenda import Audit, item_at, sitting_of
from bot.services.notify import ButtonRows
from bot.services.refused import Refused
from storage import agenda, votes
from storage.people import Person
from storage.votes import CHOICES, Choice, Vote

ACTION = "vote"
_LETTERS: dict[Choice, str] = {"agree": "a", "against": "x", "abstain": "s"}
_CHOICE_OF = {letter: choice for choice, letter in _LETTERS.items()}


class NoUnit(Refused):
    """The presser belongs to no member unit."""

    message = N_("You belong to no member unit, so you have no vote. An admin sets it with /role.")


class NotInvited(Refused):
    """The presser's unit is not invited to the meeting."""

    message = N_("{unit} is not invited to meeting #{id}, so it has no vote on its items.")


class VoteGone(Refused):
    """A button naming a vote that does not exist."""

    message = N_("This button is not valid any more.")


class NoVote(Refused):
    """No vote was opened on the item."""

    message = N_("There is no vote on item {n} of #{id}. Open one with /vote {id} #{n}.")


class VoteClosed(Refused):
    """A ballot on a closed vote; carries the card as it now stands."""

    message = N_("This vote is closed; ballots are no longer taken.")

    def __init__(self, card: VoteCard) -> None:
        super().__init__()
        self.card = card


class VoteAlreadyClosed(Refused):
    """/vote or /vote_close on an item whose vote has closed."""

    message = N_("The vote on item {n} of #{id} is already closed; see /minutes {id}.")


class MeetingGone(Refused):
    """A ballot on a vote whose meeting was cancelled."""

    message = N_("Meeting #{id} was cancelled.")


def payload(vote_id: int, choice: Choice) -> str:
    """The callback payload of a choice's button on a vote's card."""
    return f"{vote_id}:{_LETTERS[choice]}"


def parse_payload(text: str) -> tuple[int, Choice] | None:
    """(vote id, choice) from a button's payload, or None when it is not one."""
    ident, _, letter = text.partition(":")
    choice = _CHOICE_OF.get(letter)
    if not ident.isdigit() or choice is None:
        return None
    return int(ident), choice


def buttons(vote_id: int, tr: Tr) -> ButtonRows:
    """The card's three buttons: agree, against, abstain."""
    return [
        [
            {"text": button_label(tr, c), "action": ACTION, "payload": payload(vote_id, c)}
            for c in CHOICES
        ]
    ]


def voters(svc: Services, meeting_invited: tuple[str, ...]) -> list[str]:
    """The units that vote: those invited, or every registered unit when all are."""
    if meeting_invited:
        return sorted({c.upper() for c in meeting_invited})
    return sorted(unit_names(svc.db))


def _card(svc: Services, vote: Vote, now: datetime) -> VoteCard:
    meeting = meeting_reads.get_meeting(svc.db, vote.meeting_id, now)
    item = agenda.get_item(svc.db, vote.item_id)
    if meeting is None or item is None:
        raise VoteGone()
    sitting = sitting_at(meeting, vote.occ)
    numbers = [i.id for i in agenda.items(svc.db, vote.meeting_id, vote.occ)]
    number = numbers.index(item.id) + 1 if item.id in numbers else None
    units = list(vote.units) if vote.closed else voters(svc, meeting.invited)
    ballots = {b.unit_code: b.choice for b in votes.ballots(svc.db, vote.id)}
    shown = {u: c for u, c in ballots.items() if u in units}
    return VoteCard(vote, sitting.meeting, item, number, units, shown, unit_names(svc.db))


@dataclass(frozen=True)
class Opened:
    """A vote opened (or an open one posted again) and its card as posted."""

    card: VoteCard
    new: bool
    audit: dict[str, Any] = field(default_factory=dict)


def open_vote(
    svc: Services,
    meeting_id: int,
    number: int,
    question: str,
    who: Person,
    chat_id: int,
    now: datetime,
    audit: Audit = None,
) -> Opened:
    """Open the vote on item `number` of the meeting's current sitting and post its card in
    the chat; on an item whose vote is open, post the card there again."""
    sitting = minutes.recording(svc, meeting_id, who, now, audit)
    item = item_at(svc, sitting, number)
    found = votes.on_item(svc.db, sitting.meeting.id, sitting.key, item.id)
    if found is not None and found.closed:
        raise VoteAlreadyClosed(n=number, id=sitting.meeting.id)
    vote = found or votes.open_vote(
        svc.db, sitting.meeting.id, sitting.key, item.id, question, who.user_id, now
    )
    posting = votes.next_post(svc.db, vote.id)
    card = _card(svc, vote, now)
    notify.notify(
        svc,
        [chat_id],
        f"vote-card:{vote.id}:{posting}",
        "card",
        lambda tr: card_text(card, svc.config.tz, tr),
        now,
        buttons=lambda tr: buttons(vote.id, tr),
    )
    if audit is not None:
        audit.update(vote=vote.id, item=item.id, posting=posting)
    return Opened(card, found is None)


def cast(
    svc: Services, vote_id: int, choice: Choice, who: Person, now: datetime, audit: Audit = None
) -> VoteCard:
    """Record `who`'s unit's choice (replacing its earlier one); the card as it now stands."""
    vote = votes.get(svc.db, vote_id)
    if vote is None:
        raise VoteGone()
    card = _card(svc, vote, now)
    if vote.closed:
        raise VoteClosed(card)
    if card.meeting.cancelled:
        raise MeetingGone(id=vote.meeting_id)
    unit = (who.unit_code or "").upper()
    if not unit:
        raise NoUnit()
    if unit not in card.units:
        raise NotInvited(unit=unit, id=vote.meeting_id)
    votes.cast(svc.db, vote.id, unit, choice, who.user_id, now)
    if audit is not None:
        audit.update(vote=vote.id, unit=unit, choice=choice)
    return _card(svc, vote, now)


def cast_on(
    svc: Services,
    meeting_id: int,
    number: int,
    choice: Choice,
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> VoteCard:
    """Cast `who`'s unit's choice on item `number` of the meeting's current sitting."""
    sitting = sitting_of(svc, meeting_id, now)
    item = item_at(svc, sitting, number)
    vote = votes.on_item(svc.db, sitting.meeting.id, sitting.key, item.id)
    if vote is None:
        raise NoVote(n=number, id=sitting.meeting.id)
    return cast(svc, vote.id, choice, who, now, audit)


def close(
    svc: Services,
    meeting_id: int,
    number: int,
    who: Person,
    now: datetime,
    audit: Audit = None,
) -> VoteCard:
    """Freeze the vote on item `number`: the units that may vote and their ballots now are
    the result; the item counts as dealt with; every posting of the card loses its buttons."""
    sitting = minutes.recording(svc, meeting_id, who, now, audit)
    item = item_at(svc, sitting, number)
    vote = votes.on_item(svc.db, sitting.meeting.id, sitting.key, item.id)
    if vote is None:
        raise NoVote(n=number, id=sitting.meeting.id)
    if vote.closed:
        raise VoteAlreadyClosed(n=number, id=sitting.meeting.id)
    votes.close(svc.db, vote.id, _card(svc, vote, now).units, who.user_id, now)
    agenda.mark_reached(svc.db, item.id)
    agenda.stop_waiting(svc.db, item.id)  # decided here: not carried over or sent up
    closed = votes.get(svc.db, vote.id)
    assert closed is not None
    card = _card(svc, closed, now)
    notify.redraw(
        svc,
        f"vote-card:{vote.id}:",
        f"vote-closed:{vote.id}",
        lambda tr: card_text(card, svc.config.tz, tr),
        now,
    )
    if audit is not None:
        audit.update(vote=vote.id, item=item.id, units=list(card.units), ballots=card.ballots)
    return card
