"""Votes by unit: /vote (post the card), the card's buttons and /vote_cast (a unit's
ballot), /vote_close (the result into the minutes). Each parses, calls one function of
bot.services.votes and renders with bot.render.votes.

The card goes out as a notice to the chat (see the service), so /vote itself answers
nothing there unless it is refused. A press answers with a toast and edits the card it was
pressed on; a press on a closed vote redraws that card without buttons.
"""

from __future__ import annotations

from bot.domain.keywords import vote_word
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.votes import card_text, cast_toast, closed_reply
from bot.services import votes
from bot.telegram.commands import Button, ButtonSpec, Call, CommandSpec, Refusal, Reply, UsageError
from handlers._args import item_number, meeting_id, refusing

MAX_QUESTION = 500


def _meeting_and_item(call: Call, text: str) -> tuple[int, int]:
    """`<meeting id> #<item no>` (the # optional, full-width digits too)."""
    words = [token(w) for w in text.split()]
    if len(words) != 2:
        raise UsageError()
    return meeting_id(words[0]), item_number(words[1])


def vote(call: Call) -> Reply:
    """Open the vote on an agenda item and post its card in this chat."""
    head, _bar, question = call.args.partition("|")
    question = " ".join(question.split())
    if len(question) > MAX_QUESTION:
        raise UsageError(call.tr("The question is too long (up to 500 characters)."))
    with refusing(call):
        mid, number = _meeting_and_item(call, head)
        votes.open_vote(
            call.services,
            mid,
            number,
            question,
            call.user,
            call.chat.chat_id,
            call.now,
            call.audit_detail,
        )
    return Reply()  # the card itself is the answer, delivered as a notice


def vote_cast(call: Call) -> Reply:
    """Cast your unit's ballot by typing it (同意/赞成, 反对, 弃权)."""
    words = call.words()
    if len(words) != 3:
        raise UsageError()
    choice = vote_word(words[2])
    if choice is None:
        raise UsageError(call.tr("Vote agree, against or abstain (同意、赞成、反对、弃权)."))
    with refusing(call):
        votes.cast_on(
            call.services,
            meeting_id(words[0]),
            item_number(words[1]),
            choice,
            call.user,
            call.now,
            call.audit_detail,
        )
    unit = (call.user.unit_code or "").upper()
    return Reply(text=cast_toast(call.tr, unit, choice))


def press(call: Call, payload: str) -> Reply:
    """A ballot by button: toast, and the card edited with the new tally."""
    parsed = votes.parse_payload(payload)
    if parsed is None:
        raise Refusal(call.tr("This button is not valid any more."))
    vote_id, choice = parsed
    tz = call.services.config.tz
    try:
        card = votes.cast(call.services, vote_id, choice, call.user, call.now, call.audit_detail)
    except votes.VoteClosed as closed:
        # The card may still show buttons (its redraw in flight): show it frozen.
        return Reply(
            text=card_text(closed.card, tz, call.tr), edit=True, toast=closed.text(call.tr)
        )
    rows = [[Button(**b) for b in row] for row in votes.buttons(vote_id, call.tr)]
    unit = (call.user.unit_code or "").upper()
    return Reply(
        text=card_text(card, tz, call.tr),
        buttons=rows,
        edit=True,
        toast=cast_toast(call.tr, unit, choice),
    )


def vote_close(call: Call) -> Reply:
    """Freeze a vote; its result goes into the minutes under the item."""
    with refusing(call):
        mid, number = _meeting_and_item(call, call.args)
        card = votes.close(call.services, mid, number, call.user, call.now, call.audit_detail)
    return Reply(text=closed_reply(card, call.tr))


COMMANDS = [
    CommandSpec(
        "vote",
        vote,
        N_("put an agenda item to a vote by unit"),
        N_("/vote <meeting id> #<item no> [| question]"),
        N_("/vote 12 #2 | Adopt the exit rules?"),
        role="staff",
        writes=True,
    ),
    CommandSpec(
        "vote_cast",
        vote_cast,
        N_("cast your unit's vote by typing it"),
        N_("/vote_cast <meeting id> #<item no> <agree|against|abstain>"),
        N_("/vote_cast 12 #2 agree"),
        role="member",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "vote_close",
        vote_close,
        N_("close a vote; the result goes into the minutes"),
        N_("/vote_close <meeting id> #<item no>"),
        N_("/vote_close 12 #2"),
        role="staff",
        writes=True,
        separator=" ",
    ),
]
BUTTONS = [ButtonSpec(votes.ACTION, press, role="member")]
