"""Vote texts (pure): the vote card with its tally by unit, the result line that goes into the
minutes and the 纪要 (表决结果：同意2家（TECH、BJ），反对0家，弃权0家), and the answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.i18n import N_, Tr
from bot.render.agenda import item_kind
from bot.render.meeting import heading
from bot.render.text import esc
from bot.render.units import unit_label
from storage.agenda import Item
from storage.votes import CHOICES, Ballot, Choice, Vote

# What the buttons say, and how a unit's ballot reads on the card and in the minutes.
BUTTONS = {"agree": N_("✅ Agree"), "against": N_("❌ Against"), "abstain": N_("⚪ Abstain")}
CHOICE_NAMES = {"agree": N_("agree"), "against": N_("against"), "abstain": N_("abstain")}


@dataclass(frozen=True)
class VoteCard:
    """What a vote card shows: the vote, its sitting and item (with the item's number on
    the agenda now), the units that may vote, their ballots and every unit's name."""

    vote: Vote
    meeting: Meeting
    item: Item
    number: int | None
    units: list[str]
    ballots: dict[str, Choice]
    names: dict[str, str]


def choice_name(tr: Tr, choice: str) -> str:
    """A ballot in the reader's language: agree / against / abstain (同意 / 反对 / 弃权)."""
    return tr(CHOICE_NAMES.get(choice, choice))


def button_label(tr: Tr, choice: Choice) -> str:
    """The text of a choice's button."""
    return tr(BUTTONS[choice])


def _part(tr: Tr, name: str, codes: Sequence[str]) -> str:
    if not codes:
        return tr.ngettext("{choice} {n} unit", "{choice} {n} units", 0, choice=name)
    listed = tr.join(codes)  # not inside the call: Babel misreads a nested tr.join(
    return tr.ngettext(
        "{choice} {n} unit ({codes})",
        "{choice} {n} units ({codes})",
        len(codes),
        choice=name,
        codes=listed,
    )


def summary(tr: Tr, units: Sequence[str], ballots: Mapping[str, str]) -> str:
    """The count by choice with the units' codes (plain text): 'agree 2 units (TECH, BJ);
    against 0 units; abstain 0 units', and the units that have not voted, if any. Only
    the units that may vote count: a unit no longer invited has no vote."""
    by_choice = {c: [u for u in units if ballots.get(u) == c] for c in CHOICES}
    parts: dict[str, str] = {c: _part(tr, choice_name(tr, c), by_choice[c]) for c in CHOICES}
    missing = [u for u in units if u not in ballots]
    if missing:
        parts["missing"] = _part(tr, tr("not voted"), missing)
        return tr("{agree}; {against}; {abstain}; {missing}", **parts)
    return tr("{agree}; {against}; {abstain}", **parts)


def result_line(tr: Tr, vote: Vote, ballots: Sequence[Ballot]) -> str:
    """The result of a closed vote as the minutes record it (plain text, no HTML)."""
    text = summary(tr, vote.units, {b.unit_code: b.choice for b in ballots})
    if vote.question:
        return tr("Vote on “{question}”: {summary}", question=vote.question, summary=text)
    return tr("Vote result: {summary}", summary=text)


def _item_line(card: VoteCard, tr: Tr) -> str:
    label = tr(
        "[{label}] {title}", label=esc(item_kind(tr, card.item.kind)), title=esc(card.item.title)
    )
    return f"{card.number}. {label}" if card.number else label


def card_text(card: VoteCard, tz: ZoneInfo, tr: Tr) -> str:
    """The vote card: meeting, item, question, each unit's ballot, the count so far (or the
    result once closed)."""
    closed = card.vote.closed
    title = tr("🗳 <b>Vote closed</b>") if closed else tr("🗳 <b>Vote</b>")
    lines = [title, heading(card.meeting, tz, tr), _item_line(card, tr)]
    if card.vote.question:
        lines.append(tr("Question: {question}", question=esc(card.vote.question)))
    lines.append("")
    for code in card.units:
        choice = card.ballots.get(code)
        shown = choice_name(tr, choice) if choice else tr("not voted yet")
        lines.append(tr("{unit}: {choice}", unit=unit_label(tr, code, card.names), choice=shown))
    if not card.units:
        lines.append(tr("No member unit is registered yet."))
    lines.append("")
    text = esc(summary(tr, card.units, card.ballots))
    if closed:
        lines.append(tr("<b>Result:</b> {summary}", summary=text))
    else:
        lines.append(tr("So far: {summary}", summary=text))
        lines.append(
            tr(
                "One vote per invited unit: any of its people may press; the last press "
                "counts until the vote is closed."
            )
        )
    return "\n".join(lines)


def closed_reply(card: VoteCard, tr: Tr) -> str:
    """The answer to /vote_close: the result and where it is recorded."""
    mid = card.meeting.id
    text = esc(summary(tr, card.units, card.ballots))
    head = (
        tr("Vote on item {n} of #{id} closed.", n=card.number, id=mid)
        if card.number
        else tr("Vote on “{title}” closed.", title=esc(card.item.title))
    )
    return "\n".join(
        [
            head,
            tr("<b>Result:</b> {summary}", summary=text),
            tr("It is recorded in the minutes: /minutes {id}", id=mid),
        ]
    )


def cast_toast(tr: Tr, unit: str, choice: str) -> str:
    """The toast after a press: whose ballot it is and what it now says."""
    return tr("Recorded for {unit}: {choice}.", unit=unit, choice=choice_name(tr, choice))
